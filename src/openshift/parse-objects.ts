/**
 * Reads OpenShift objects from YAML texts: multi-document files and `kind: List` (as `oc get -o yaml`
 * writes them). Pure: texts in, typed objects out. Unrelated kinds are skipped with a note; malformed
 * fields of the kinds we use are errors naming the file, document and key; unknown fields of those kinds
 * are errors naming file:line and the path (strict, as `kubectl --validate=strict`); a text (or a folder's
 * texts together) holding none of the objects we read is an error, so a wrong file never renders the templates.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { ConfigError } from '../errors.ts';
import type { ConfigText } from '../config/types.ts';
import { LIST_SHAPE, OBJECT_SHAPES } from './object-schema.ts';
import { describeUnknownField, unknownFields } from './strict-fields.ts';
import { parseImagePolicy } from './parse-image-policy.ts';
import type {
  ImageConfig,
  MirrorKind,
  MirrorRule,
  MirrorSetObject,
  MirrorSourcePolicy,
  ObjectOrigin,
  OpenShiftObjects,
  RegistrySources,
} from './types.ts';

type Obj = Record<string, unknown>;

/** An input text; texts found by listing a folder carry that folder, which must yield objects as a whole. */
export interface ObjectText extends ConfigText {
  folder?: string;
}

const MIRROR_KINDS: Record<MirrorKind, { group: string; listKey: string }> = {
  ImageContentSourcePolicy: { group: 'operator.openshift.io', listKey: 'repositoryDigestMirrors' },
  ImageDigestMirrorSet: { group: 'config.openshift.io', listKey: 'imageDigestMirrors' },
  ImageTagMirrorSet: { group: 'config.openshift.io', listKey: 'imageTagMirrors' },
};

export const READ_KINDS =
  'image.config.openshift.io Image "cluster", ImageContentSourcePolicy, ImageDigestMirrorSet, ImageTagMirrorSet, ClusterImagePolicy, ImagePolicy, ClusterVersion, or Proxy (with Network and Infrastructure) "cluster"';

/** Per-text state while walking: the YAML tree gives lines, `used` counts the objects that feed the render. */
interface Ctx {
  file: string;
  document: number;
  keyPrefix: string;
  lines: LineCounter;
  used: { count: number; seen: string[] };
}

/** Parses every text in order; objects keep input order (the MCO's listers do not, but its merge is order-independent). */
export function parseOpenShiftObjects(texts: ObjectText[]): OpenShiftObjects {
  const out: OpenShiftObjects = { image: null, icsp: [], idms: [], itms: [], releaseImage: null, notes: [] };
  const folders = new Map<string, { count: number; seen: string[] }>();
  for (const { path, text, folder } of texts) {
    const lines = new LineCounter();
    const docs = parseAllDocuments(text, { prettyErrors: false, lineCounter: lines });
    const list = Array.isArray(docs) ? docs : [];
    const used = { count: 0, seen: [] as string[] };
    list.forEach((doc, index) => {
      const err = doc.errors[0];
      if (err !== undefined) {
        const line = err.linePos?.[0]?.line ?? lines.linePos(err.pos[0]).line;
        throw new ConfigError(`${path}${line ? `:${line}` : ''}: YAML syntax error: ${err.message.split('\n')[0]}`, {
          file: path,
          ...(line ? { line } : {}),
          code: 'PP_ERR_OPENSHIFT_YAML',
        });
      }
      const value: unknown = doc.toJS();
      if (value === null || value === undefined) return;
      addObject(out, value, doc.contents, { file: path, document: index, keyPrefix: '', lines, used });
    });
    if (folder === undefined) {
      if (used.count === 0) throw noObjects(path, used.seen);
    } else {
      const f = folders.get(folder) ?? { count: 0, seen: [] };
      f.count += used.count;
      f.seen.push(...used.seen);
      folders.set(folder, f);
    }
  }
  for (const [folder, f] of folders) if (f.count === 0) throw noObjects(folder, f.seen);
  return out;
}

function noObjects(where: string, seen: string[]): ConfigError {
  const found = seen.length === 0 ? 'it holds no objects' : `found only ${seen.slice(0, 5).join(', ')}${seen.length > 5 ? `, … (${seen.length} in all)` : ''}`;
  return new ConfigError(`${where}: no cluster objects to render (expected ${READ_KINDS}); ${found}`, {
    file: where,
    code: 'PP_ERR_OPENSHIFT_NO_OBJECTS',
  });
}

function addObject(out: OpenShiftObjects, value: unknown, node: unknown, ctx: Ctx): void {
  const { file, document, keyPrefix } = ctx;
  const where = `${file} (document ${document + 1}${keyPrefix ? `, ${keyPrefix}` : ''})`;
  if (!isObj(value)) {
    out.notes.push(`${where}: not a Kubernetes object (expected a mapping with apiVersion and kind); skipped`);
    ctx.used.seen.push('a value that is not an object');
    return;
  }
  const kind = typeof value.kind === 'string' ? value.kind : '';
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const meta = isObj(value.metadata) ? value.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  const start = (node as { range?: [number, number, number] } | null)?.range?.[0];
  const origin: ObjectOrigin = { file, document, kind, name, ...(start !== undefined ? { line: ctx.lines.linePos(start).line } : {}) };
  const k = (s: string): string => (keyPrefix ? `${keyPrefix}.${s}` : s);

  if (kind === 'List' || kind.endsWith('List')) {
    strict(node, LIST_SHAPE, ctx, `${kind}`);
    const items = value.items;
    if (!Array.isArray(items)) {
      out.notes.push(`${where}: ${kind} without items; skipped`);
      ctx.used.seen.push(`${kind} without items`);
      return;
    }
    const itemsNode = isMap(node) ? node.get('items', true) : undefined;
    items.forEach((item, i) =>
      addObject(out, item, isSeq(itemsNode) ? itemsNode.items[i] : undefined, { ...ctx, keyPrefix: k(`items[${i}]`) }),
    );
    return;
  }
  const shape = OBJECT_SHAPES[`${group}/${kind}`];
  if (shape !== undefined) strict(node, shape, ctx, `${kind}${name ? ` "${name}"` : ''}`);
  if (kind === 'Image' && group === 'config.openshift.io') {
    if (name !== 'cluster') {
      out.notes.push(`${where}: Image "${name}" ignored: the MCO only reads the Image named "cluster"`);
      ctx.used.seen.push(`Image "${name}" (the MCO reads only "cluster")`);
      return;
    }
    if (out.image !== null) {
      throw configError(file, k('metadata.name'), `a second Image named "cluster" (the first is in ${out.image.origin.file}); give only one`);
    }
    out.image = parseImage(value, node, origin, k, ctx.lines);
    ctx.used.count++;
    return;
  }
  // Proxy, and the two objects CNO reads to merge its noProxy (issue 15): CRI-O's proxy environment.
  if ((kind === 'Proxy' || kind === 'Network' || kind === 'Infrastructure') && group === 'config.openshift.io') {
    if (name !== 'cluster') {
      out.notes.push(`${where}: ${kind} "${name}" ignored: only the one named "cluster" applies`);
      ctx.used.seen.push(`${kind} "${name}"`);
      return;
    }
    const spec = isObj(value.spec) ? value.spec : {};
    const status = isObj(value.status) ? value.status : {};
    const str = (o: Record<string, unknown>, key: string): string => (typeof o[key] === 'string' ? (o[key] as string) : '');
    if (kind === 'Proxy') {
      const fields = (o: Record<string, unknown>) => ({ httpProxy: str(o, 'httpProxy'), httpsProxy: str(o, 'httpsProxy'), noProxy: str(o, 'noProxy') });
      out.proxy = { origin, spec: fields(spec), status: fields(status) };
    } else if (kind === 'Network') {
      const cidrs = (o: Record<string, unknown>, key: string): string[] =>
        Array.isArray(o[key]) ? (o[key] as unknown[]).map((e) => (typeof e === 'string' ? e : isObj(e) && typeof e.cidr === 'string' ? e.cidr : '')).filter((c) => c !== '') : [];
      // CNO reads the status; a manifest without status has the same networks in its spec.
      const from = Array.isArray(status.serviceNetwork) ? status : spec;
      out.network = { serviceNetwork: cidrs(from, 'serviceNetwork'), clusterNetwork: cidrs(from, 'clusterNetwork') };
    } else {
      const ps = isObj(status.platformStatus) ? status.platformStatus : {};
      const aws = isObj(ps.aws) ? ps.aws : {};
      out.infrastructure = { apiServerInternalURL: str(status, 'apiServerInternalURL'), platformType: str(ps, 'type'), awsRegion: str(aws, 'region') };
    }
    ctx.used.count++;
    return;
  }
  if (kind === 'ClusterVersion' && group === 'config.openshift.io') {
    const status = isObj(value.status) ? value.status : {};
    const desired = isObj(status.desired) ? status.desired : {};
    if (typeof desired.image === 'string' && desired.image !== '') out.releaseImage = desired.image;
    else out.notes.push(`${where}: ClusterVersion without status.desired.image; release image not taken from it`);
    ctx.used.count++;
    return;
  }
  if ((kind === 'ClusterImagePolicy' || kind === 'ImagePolicy') && group === 'config.openshift.io') {
    const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
    // An ImagePolicy is namespaced: its file is /etc/crio/policies/<namespace>.json, so the namespace must be known
    // (oc apply would take the current project; a file read here has none).
    if (kind === 'ImagePolicy' && namespace === '') throw configError(file, k('metadata.namespace'), 'an ImagePolicy is namespaced: give metadata.namespace (its policy is written to /etc/crio/policies/<namespace>.json)');
    const p = parseImagePolicy(value, kind, namespace, origin, k, itemLines(node, ['spec', 'scopes'], ctx.lines));
    (out.imagePolicies ??= []).push(p);
    ctx.used.count++;
    return;
  }
  const mk = MIRROR_KINDS[kind as MirrorKind];
  if (mk !== undefined && group === mk.group) {
    const set = parseMirrorSet(value, node, kind as MirrorKind, mk.listKey, origin, k, ctx.lines);
    if (kind === 'ImageContentSourcePolicy') out.icsp.push(set);
    else if (kind === 'ImageDigestMirrorSet') out.idms.push(set);
    else out.itms.push(set);
    ctx.used.count++;
    return;
  }
  out.notes.push(`${where}: ${kind || '(no kind)'}${name ? ` "${name}"` : ''} (${apiVersion || 'no apiVersion'}) is not used for node registry files; skipped`);
  ctx.used.seen.push(`${kind || '(no kind)'}${name ? ` "${name}"` : ''} (${apiVersion || 'no apiVersion'})`);
}

/** Throws on unknown fields, every one of the object listed with its line. */
function strict(node: unknown, shape: Parameters<typeof unknownFields>[1], ctx: Ctx, what: string): void {
  const unknown = unknownFields(node, shape, ctx.lines);
  const first = unknown[0];
  if (first === undefined) return;
  const inList = ctx.keyPrefix ? ` (${ctx.keyPrefix})` : '';
  const lines = unknown.map((u) => `${ctx.file}${u.line ? `:${u.line}` : ''}: ${what}${inList}: strict decoding error: ${describeUnknownField(u)}`);
  throw new ConfigError(lines.join('\n'), {
    file: ctx.file,
    ...(first.line ? { line: first.line } : {}),
    code: 'PP_ERR_OPENSHIFT_UNKNOWN_FIELD',
  });
}

/** Line of a list item under `node` at `path` (mapping keys), or undefined. */
function itemLines(node: unknown, path: string[], lines: LineCounter): (number | undefined)[] | undefined {
  let cur: unknown = node;
  for (const key of path) cur = isMap(cur) ? cur.get(key, true) : undefined;
  if (!isSeq(cur)) return undefined;
  return cur.items.map((it) => {
    const start = (it as { range?: [number, number, number] } | null)?.range?.[0];
    return start === undefined ? undefined : lines.linePos(start).line;
  });
}

function parseImage(value: Obj, node: unknown, origin: ObjectOrigin, k: (s: string) => string, lines: LineCounter): ImageConfig {
  const spec = isObj(value.spec) ? value.spec : {};
  const rs = spec.registrySources;
  if (rs !== undefined && rs !== null && !isObj(rs)) {
    throw configError(origin.file, k('spec.registrySources'), 'expected a mapping');
  }
  const src: Obj = isObj(rs) ? rs : {};
  const list = (field: string): string[] | null =>
    stringList(src[field], origin.file, k(`spec.registrySources.${field}`));
  const registrySources: RegistrySources = {
    insecureRegistries: list('insecureRegistries'),
    blockedRegistries: list('blockedRegistries'),
    allowedRegistries: list('allowedRegistries'),
    containerRuntimeSearchRegistries: list('containerRuntimeSearchRegistries'),
  };
  const itemLinesOf: ImageConfig['itemLines'] = {};
  for (const f of Object.keys(registrySources) as (keyof RegistrySources)[]) {
    const l = itemLines(node, ['spec', 'registrySources', f], lines);
    if (l !== undefined) itemLinesOf[f] = l;
  }
  return { origin, registrySources, itemLines: itemLinesOf };
}

function parseMirrorSet(
  value: Obj,
  node: unknown,
  kind: MirrorKind,
  listKey: string,
  origin: ObjectOrigin,
  k: (s: string) => string,
  lines: LineCounter,
): MirrorSetObject {
  const spec = isObj(value.spec) ? value.spec : {};
  const raw = spec[listKey];
  const rules: MirrorRule[] = [];
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) {
    throw configError(origin.file, k(`spec.${listKey}`), 'expected a list of {source, mirrors} entries');
  }
  const ruleLines = itemLines(node, ['spec', listKey], lines) ?? [];
  (Array.isArray(raw) ? raw : []).forEach((entry: unknown, i) => {
    const key = `spec.${listKey}[${i}]`;
    if (!isObj(entry)) throw configError(origin.file, k(key), 'expected a mapping with source and mirrors');
    const source = entry.source === undefined || entry.source === null ? '' : entry.source;
    if (typeof source !== 'string') throw configError(origin.file, k(`${key}.source`), 'expected a string');
    const mirrors = stringList(entry.mirrors, origin.file, k(`${key}.mirrors`)) ?? [];
    let policy: MirrorSourcePolicy = '';
    if (kind !== 'ImageContentSourcePolicy' && entry.mirrorSourcePolicy !== undefined && entry.mirrorSourcePolicy !== null) {
      const p = entry.mirrorSourcePolicy;
      if (p !== 'NeverContactSource' && p !== 'AllowContactingSource') {
        throw configError(origin.file, k(`${key}.mirrorSourcePolicy`), `expected NeverContactSource or AllowContactingSource, got ${JSON.stringify(p)}`);
      }
      policy = p;
    }
    const line = ruleLines[i];
    rules.push({ source, mirrors, mirrorSourcePolicy: policy, key: k(key), ...(line !== undefined ? { line } : {}) });
  });
  return { kind, origin, rules };
}

function stringList(v: unknown, file: string, key: string): string[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw configError(file, key, 'expected a list of strings');
  return v.map((item, i) => {
    if (typeof item !== 'string') throw configError(file, `${key}[${i}]`, `expected a string, got ${JSON.stringify(item)}`);
    return item;
  });
}

function configError(file: string, key: string, what: string): ConfigError {
  return new ConfigError(`${file}: ${key}: ${what}`, { file, code: 'PP_ERR_OPENSHIFT_OBJECT' });
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
