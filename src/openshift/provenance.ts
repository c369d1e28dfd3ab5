/**
 * Which cluster objects each line of the rendered node files came from, so that `resolve`, `lint`, `verify`,
 * `pull` and `probe` under `--openshift` name `ImageDigestMirrorSet/release idms.yaml:22 (rendered)` instead of
 * `/etc/containers/registries.conf:13` (a real, different file on the user's machine).
 * Reads the rendered registries.conf as our own encoder writes it (toml-encode.ts: one `[[registry]]` table
 * per scope, `[[registry.mirror]]` tables under it) and matches each table back to the rules and list items
 * that produce it, as edit-registries.ts applies them (exact source, then a parent scope whose mirrors were
 * copied to a nested entry; insecure and blocked scopes of the Image "cluster").
 */
import { formatRenderedFrom } from '../config/rendered-from.ts';
import type { RegistriesConfig, RenderedFrom } from '../config/types.ts';
import { NODE_PATHS, type RenderResult } from './render.ts';
import { scopeIsNestedInsideScope } from './scopes.ts';
import type { Templates } from './templates.ts';
import type { MirrorRule, MirrorSetObject, OpenShiftObjects, RegistrySources } from './types.ts';

/** Node path → (1-based line → sources). */
export type RenderedProvenance = Map<string, Map<number, RenderedFrom[]>>;

interface SourcedRule {
  rule: MirrorRule;
  from: RenderedFrom;
}

export function renderedProvenance(objects: OpenShiftObjects, render: RenderResult, templates: Pick<Templates, 'registriesConfFile' | 'policyJsonFile'>): RenderedProvenance {
  const out: RenderedProvenance = new Map();
  const template = (file: string): RenderedFrom[] => [{ object: '', file }];
  const rulesOf = (sets: MirrorSetObject[]): SourcedRule[] =>
    sets.flatMap((s) =>
      s.rules.map((rule) => ({
        rule,
        from: { object: `${s.kind}/${s.origin.name}`, file: s.origin.file, ...(rule.line !== undefined ? { line: rule.line } : {}), key: rule.key },
      })),
    );
  const legacy = render.profile.legacyIcsp;
  const digest = new RuleIndex(legacy ? rulesOf(objects.icsp) : [...rulesOf(objects.idms), ...rulesOf(objects.icsp)]);
  const tag = new RuleIndex(legacy ? [] : rulesOf(objects.itms));
  const imageItems = (field: keyof RegistrySources): { scope: string; from: RenderedFrom }[] => {
    const img = objects.image;
    const list = img?.registrySources[field];
    if (img === null || img === undefined || list === null || list === undefined) return [];
    return list.map((scope, i) => {
      const line = img.itemLines?.[field]?.[i];
      return { scope, from: { object: `Image/${img.origin.name}`, file: img.origin.file, ...(line !== undefined ? { line } : {}), key: `spec.registrySources.${field}[${i}]` } };
    });
  };

  const conf = new Map<number, RenderedFrom[]>();
  const text = render.files.registriesConf;
  const lines = text.split('\n');
  if (!render.generated.registriesConf) {
    lines.forEach((_l, i) => conf.set(i + 1, template(templates.registriesConfFile)));
  } else {
    let regScope: string | null = null;
    let regLines: number[] = [];
    let regFrom: RenderedFrom[] = [];
    let mirror: { location: string; pfm: string; insecure: boolean; lines: number[] } | null = null;
    const flushMirror = (): void => {
      if (mirror === null || regScope === null) return;
      const m = mirror;
      const scope = regScope;
      const pool = m.pfm === 'tag-only' ? tag : digest;
      const from = [
        ...pool.exact(scope).filter(({ rule }) => rule.mirrors.includes(m.location)),
        ...pool.parents(scope).filter(({ rule }) => rule.mirrors.some((x) => x + scope.slice(rule.source.length) === m.location)),
      ].map((r) => r.from);
      if (m.insecure) from.push(...imageItems('insecureRegistries').filter((x) => scopeIsNestedInsideScope(m.location, x.scope)).map((x) => x.from));
      for (const l of m.lines) conf.set(l, dedupe(from.length > 0 ? from : regFrom));
      mirror = null;
    };
    const flushRegistry = (): void => {
      settleRegistry();
      flushMirror();
      if (regScope !== null) for (const l of regLines) conf.set(l, regFrom);
      regScope = null;
      regLines = [];
      regFrom = [];
    };
    /** The registry's own sources, once its prefix/location keys are known (they precede its mirror tables). */
    const settleRegistry = (): void => {
      if (regScope === null || regFrom.length > 0) return;
      const scope = regScope;
      const exact = [...digest.exact(scope), ...tag.exact(scope)];
      const parents = exact.length > 0 ? [] : [...digest.parents(scope), ...tag.parents(scope)];
      const flags = [...imageItems('insecureRegistries'), ...imageItems('blockedRegistries')].filter((x) => scopeIsNestedInsideScope(scope, x.scope));
      const from = dedupe([...exact, ...parents].map((r) => r.from).concat(flags.map((x) => x.from)));
      regFrom = from.length > 0 ? from : template(templates.registriesConfFile);
    };
    let prefix = '';
    let location = '';
    lines.forEach((raw, i) => {
      const n = i + 1;
      const line = raw.trim();
      if (line === '[[registry]]' || line.startsWith('[aliases]')) {
        flushRegistry();
        if (line === '[[registry]]') {
          regScope = '';
          prefix = '';
          location = '';
          regLines.push(n);
        } else {
          conf.set(n, template(templates.registriesConfFile));
        }
        return;
      }
      if (regScope === null) {
        conf.set(n, template(templates.registriesConfFile));
        return;
      }
      if (line === '[[registry.mirror]]') {
        settleRegistry();
        flushMirror();
        mirror = { location: '', pfm: '', insecure: false, lines: [n] };
        return;
      }
      const kv = /^([a-z-]+) = (.*)$/.exec(line);
      if (mirror !== null) {
        mirror.lines.push(n);
        if (kv?.[1] === 'location') mirror.location = unquote(kv[2] ?? '');
        if (kv?.[1] === 'pull-from-mirror') mirror.pfm = unquote(kv[2] ?? '');
        if (kv?.[1] === 'insecure') mirror.insecure = kv[2] === 'true';
        return;
      }
      regLines.push(n);
      if (kv?.[1] === 'prefix') prefix = unquote(kv[2] ?? '');
      if (kv?.[1] === 'location') location = unquote(kv[2] ?? '');
      regScope = prefix !== '' ? prefix : location;
    });
    settleRegistry();
    flushRegistry();
  }
  out.set(NODE_PATHS.registriesConf, conf);

  if (render.files.searchRegistries !== null) {
    const img = objects.image;
    const first = img?.itemLines?.containerRuntimeSearchRegistries?.[0];
    const from: RenderedFrom[] = img
      ? [{ object: `Image/${img.origin.name}`, file: img.origin.file, ...(first !== undefined ? { line: first } : img.origin.line !== undefined ? { line: img.origin.line } : {}), key: 'spec.registrySources.containerRuntimeSearchRegistries' }]
      : [];
    out.set(NODE_PATHS.searchRegistries, new Map(render.files.searchRegistries.split('\n').map((_l, i) => [i + 1, from])));
  }
  return out;
}

/** The sources of a rendered policy.json: the Image "cluster" lists that made it, or the template. */
export function renderedPolicySources(objects: OpenShiftObjects, render: RenderResult, templates: Pick<Templates, 'policyJsonFile'>): RenderedFrom[] {
  const img = objects.image;
  if (!render.generated.policyJson) return [{ object: '', file: templates.policyJsonFile }];
  const out: RenderedFrom[] = [];
  if (img !== null) {
    const rs = img.registrySources;
    const field = rs.allowedRegistries !== null && rs.allowedRegistries.length > 0 ? 'allowedRegistries' : rs.blockedRegistries !== null && rs.blockedRegistries.length > 0 ? 'blockedRegistries' : null;
    if (field !== null) {
      const line = img.itemLines?.[field]?.[0] ?? img.origin.line;
      out.push({ object: `Image/${img.origin.name}`, file: img.origin.file, ...(line !== undefined ? { line } : {}), key: `spec.registrySources.${field}` });
    }
  }
  // ClusterImagePolicies add sigstoreSigned requirements to the cluster policy.json (MCO updatePolicyJSON).
  for (const p of objects.imagePolicies ?? []) {
    if (p.kind !== 'ClusterImagePolicy') continue;
    const line = p.scopeLines?.[0] ?? p.origin.line;
    out.push({ object: `ClusterImagePolicy/${p.origin.name}`, file: p.origin.file, ...(line !== undefined ? { line } : {}), key: 'spec.scopes' });
  }
  return out.length > 0 ? out : [{ object: '', file: templates.policyJsonFile }];
}

/** Replaces the node-path origins of a configuration loaded from rendered texts with the objects they came from. */
export function attributeRenderedOrigins(config: RegistriesConfig, provenance: RenderedProvenance): RegistriesConfig {
  const attach = <T extends { origin: { file: string; line?: number } }>(item: T): T => {
    const from = item.origin.line !== undefined ? provenance.get(item.origin.file)?.get(item.origin.line) : undefined;
    return from !== undefined && from.length > 0 ? { ...item, origin: { ...item.origin, rendered: from } } : item;
  };
  const aliases = new Map([...config.aliases].map(([k, v]) => [k, attach(v)]));
  const search = config.unqualifiedSearchOrigin !== null ? renderedSourcesAt(provenance, config.unqualifiedSearchOrigin, undefined) : undefined;
  return {
    ...config,
    ...(search !== undefined && search.length > 0 ? { unqualifiedSearchOrigin: formatRenderedFrom(search) } : {}),
    registries: config.registries.map((r) => ({ ...attach(r), mirrors: r.mirrors.map(attach) })),
    aliases,
  };
}

/** Lint findings about rendered files, each naming the objects its line came from. */
export function attributeRenderedFindings<F extends { file: string; line?: number; rendered?: RenderedFrom[] }>(findings: F[], provenance: RenderedProvenance): F[] {
  return findings.map((f) => {
    const from = provenance.has(f.file) ? renderedSourcesAt(provenance, f.file, f.line) : undefined;
    return from !== undefined && from.length > 0 ? { ...f, rendered: from } : f;
  });
}

/** The sources of `file:line` in a rendered file, or undefined when it is not one of them. */
export function renderedSourcesAt(provenance: RenderedProvenance, file: string, line: number | undefined): RenderedFrom[] | undefined {
  if (line === undefined) {
    const map = provenance.get(file);
    if (map === undefined) return undefined;
    return dedupe([...map.values()].flat());
  }
  return provenance.get(file)?.get(line);
}

/**
 * Rules by source, so that matching each rendered table is a lookup (a cluster can hold thousands of rules):
 * exact sources, parent scopes at each `/` of the scope, and the few wildcard (`*.x`) sources scanned.
 */
class RuleIndex {
  private readonly bySource = new Map<string, SourcedRule[]>();
  private readonly wildcards: SourcedRule[] = [];
  constructor(rules: SourcedRule[]) {
    for (const r of rules) {
      if (r.rule.source.startsWith('*.')) this.wildcards.push(r);
      const list = this.bySource.get(r.rule.source) ?? [];
      list.push(r);
      this.bySource.set(r.rule.source, list);
    }
  }
  exact(scope: string): SourcedRule[] {
    return this.bySource.get(scope) ?? [];
  }
  /** Rules whose source strictly contains `scope` (their mirrors are copied to a nested entry without its own). */
  parents(scope: string): SourcedRule[] {
    const out: SourcedRule[] = [];
    for (let i = scope.lastIndexOf('/'); i > 0; i = scope.lastIndexOf('/', i - 1)) out.push(...this.exact(scope.slice(0, i)));
    for (const w of this.wildcards) if (w.rule.source !== scope && scopeIsNestedInsideScope(scope, w.rule.source)) out.push(w);
    return out;
  }
}

function dedupe(list: RenderedFrom[]): RenderedFrom[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const k = `${r.object}\0${r.file}\0${r.line ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A basic TOML string as our encoder writes it (JSON escapes are a superset of what it emits). */
function unquote(v: string): string {
  try {
    return v.startsWith('"') ? (JSON.parse(v) as string) : v;
  } catch {
    return v;
  }
}
