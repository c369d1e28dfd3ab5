/**
 * Reads OpenShift objects from YAML texts: multi-document files and `kind: List` (as `oc get -o yaml`
 * writes them). Pure: texts in, typed objects out. Unrelated kinds are skipped with a note; malformed
 * fields of the kinds we use are errors naming the file, document and key.
 */
import { parseAllDocuments } from 'yaml';
import { ConfigError } from '../errors.ts';
import type { ConfigText } from '../config/types.ts';
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

const MIRROR_KINDS: Record<MirrorKind, { group: string; listKey: string }> = {
  ImageContentSourcePolicy: { group: 'operator.openshift.io', listKey: 'repositoryDigestMirrors' },
  ImageDigestMirrorSet: { group: 'config.openshift.io', listKey: 'imageDigestMirrors' },
  ImageTagMirrorSet: { group: 'config.openshift.io', listKey: 'imageTagMirrors' },
};

/** Parses every text in order; objects keep input order (the MCO's listers do not, but its merge is order-independent). */
export function parseOpenShiftObjects(texts: ConfigText[]): OpenShiftObjects {
  const out: OpenShiftObjects = { image: null, icsp: [], idms: [], itms: [], releaseImage: null, notes: [] };
  for (const { path, text } of texts) {
    const docs = parseAllDocuments(text, { prettyErrors: false });
    const list = Array.isArray(docs) ? docs : [docs];
    list.forEach((doc, index) => {
      const err = doc.errors[0];
      if (err !== undefined) {
        const line = err.linePos?.[0]?.line ?? lineAt(text, err.pos[0]);
        throw new ConfigError(`${path}${line ? `:${line}` : ''}: YAML syntax error: ${err.message.split('\n')[0]}`, {
          file: path,
          ...(line ? { line } : {}),
          code: 'PP_ERR_OPENSHIFT_YAML',
        });
      }
      const value: unknown = doc.toJS();
      if (value === null || value === undefined) return;
      addObject(out, value, path, index, '');
    });
  }
  return out;
}

function addObject(out: OpenShiftObjects, value: unknown, file: string, document: number, keyPrefix: string): void {
  const where = `${file} (document ${document + 1}${keyPrefix ? `, ${keyPrefix}` : ''})`;
  if (!isObj(value)) {
    out.notes.push(`${where}: not a Kubernetes object (expected a mapping with apiVersion and kind); skipped`);
    return;
  }
  const kind = typeof value.kind === 'string' ? value.kind : '';
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const meta = isObj(value.metadata) ? value.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  const origin: ObjectOrigin = { file, document, kind, name };
  const k = (s: string): string => (keyPrefix ? `${keyPrefix}.${s}` : s);

  if (kind === 'List' || kind.endsWith('List')) {
    const items = value.items;
    if (!Array.isArray(items)) {
      out.notes.push(`${where}: ${kind} without items; skipped`);
      return;
    }
    items.forEach((item, i) => addObject(out, item, file, document, k(`items[${i}]`)));
    return;
  }
  if (kind === 'Image' && group === 'config.openshift.io') {
    if (name !== 'cluster') {
      out.notes.push(`${where}: Image "${name}" ignored: the MCO only reads the Image named "cluster"`);
      return;
    }
    if (out.image !== null) {
      throw configError(file, k('metadata.name'), `a second Image named "cluster" (the first is in ${out.image.origin.file}); give only one`);
    }
    out.image = parseImage(value, origin, k);
    return;
  }
  if (kind === 'ClusterVersion' && group === 'config.openshift.io') {
    const status = isObj(value.status) ? value.status : {};
    const desired = isObj(status.desired) ? status.desired : {};
    if (typeof desired.image === 'string' && desired.image !== '') out.releaseImage = desired.image;
    else out.notes.push(`${where}: ClusterVersion without status.desired.image; release image not taken from it`);
    return;
  }
  const mk = MIRROR_KINDS[kind as MirrorKind];
  if (mk !== undefined && group === mk.group) {
    const set = parseMirrorSet(value, kind as MirrorKind, mk.listKey, origin, k);
    if (kind === 'ImageContentSourcePolicy') out.icsp.push(set);
    else if (kind === 'ImageDigestMirrorSet') out.idms.push(set);
    else out.itms.push(set);
    return;
  }
  out.notes.push(`${where}: ${kind || '(no kind)'}${name ? ` "${name}"` : ''} (${apiVersion || 'no apiVersion'}) is not used for node registry files; skipped`);
}

function parseImage(value: Obj, origin: ObjectOrigin, k: (s: string) => string): ImageConfig {
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
  return { origin, registrySources };
}

function parseMirrorSet(
  value: Obj,
  kind: MirrorKind,
  listKey: string,
  origin: ObjectOrigin,
  k: (s: string) => string,
): MirrorSetObject {
  const spec = isObj(value.spec) ? value.spec : {};
  const raw = spec[listKey];
  const rules: MirrorRule[] = [];
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) {
    throw configError(origin.file, k(`spec.${listKey}`), 'expected a list of {source, mirrors} entries');
  }
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
    rules.push({ source, mirrors, mirrorSourcePolicy: policy, key: k(key) });
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

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
