/**
 * `/etc/containers/registries.d/sigstore-registries.yaml`: `use-sigstore-attachments: true` for every
 * ClusterImagePolicy/ImagePolicy scope, for the mirrors that serve it and for registries.conf scopes nested
 * inside it (and their mirrors), so the runtime reads the `.sig` attachments from whichever source serves the
 * image. MCO helpers.go `generateSigstoreRegistriesdConfig` and `addScopeMirrorsSigstoreRegistriesdConfig`,
 * written as ghodss/yaml (JSON → yaml.v2) writes it.
 */
import { PullpathError } from '../errors.ts';
import { parseCanonicalDockerRef } from '../policy/docker-reference.ts';
import { registryScope } from './edit-registries.ts';
import type { NodeRegistriesConf, NodeRegistry } from './node-registries-conf.ts';
import { findRegistry } from './payload.ts';
import { scopeIsNestedInsideScope } from './scopes.ts';

export const SIGSTORE_REGISTRIES_PATH = '/etc/containers/registries.d/sigstore-registries.yaml';

/**
 * `policyScopes`: cluster scopes then namespaced scopes (order does not matter: the output is sorted).
 * `conf`: the regenerated registries.conf, or null when the MCO did not regenerate it (then only the scopes).
 * Returns null when there are no scopes (the MCO writes no file).
 */
export function sigstoreRegistriesYaml(policyScopes: string[], conf: NodeRegistriesConf | null): string | null {
  if (policyScopes.length === 0) return null;
  const entries = new Set<string>();
  const index = conf === null ? null : indexRegistries(conf.registries ?? []);
  for (const scope of policyScopes) {
    entries.add(scope);
    if (index !== null) addScopeAndNested(entries, scope, index);
  }
  return yamlV2Docker([...entries]);
}

/**
 * The generateSigstoreRegistriesdConfig loop for one policy scope: the registry that `FindRegistry(scope)` picks,
 * then every registry whose scope is nested inside the policy scope. Only registries on the scope's host (port
 * ignored: `quay.io` matches `quay.io:5000/…` in containers/image) and wildcard ones can match, so those are all
 * it looks at (a wildcard policy scope looks at every registry); the result is the same as scanning all.
 */
function addScopeAndNested(entries: Set<string>, scope: string, index: RegistryIndex): void {
  // Config order is kept: FindRegistry takes the first of equally long prefixes.
  const regs = scope.startsWith('*.') ? index.all : [...(index.byHost.get(hostOf(scope)) ?? []), ...index.wildcard].sort((a, b) => (index.order.get(a) ?? 0) - (index.order.get(b) ?? 0));
  addScopeMirrors(entries, scope, findRegistry(regs, scope), scope);
  for (const reg of regs) {
    const s = registryScope(reg);
    if (s !== scope && scopeIsNestedInsideScope(s, scope)) addScopeMirrors(entries, s, findRegistry(index.all, s), scope);
  }
}

interface RegistryIndex {
  all: NodeRegistry[];
  byHost: Map<string, NodeRegistry[]>;
  wildcard: NodeRegistry[];
  order: Map<NodeRegistry, number>;
}

function hostOf(scope: string): string {
  return (scope.split(/[/@]/)[0] ?? '').split(':')[0] ?? '';
}

function indexRegistries(all: NodeRegistry[]): RegistryIndex {
  const byHost = new Map<string, NodeRegistry[]>();
  const wildcard: NodeRegistry[] = [];
  for (const reg of all) {
    const s = registryScope(reg);
    if (s.startsWith('*.')) wildcard.push(reg);
    else byHost.set(hostOf(s), [...(byHost.get(hostOf(s)) ?? []), reg]);
  }
  return { all, byHost, wildcard, order: new Map(all.map((r, i) => [r, i])) };
}

/**
 * `addScopeMirrorsSigstoreRegistriesdConfig`: the pull sources of a dummy digest and a dummy tag reference
 * under `scope` (`*.` → `matched.`, `/a` appended to a bare host and stripped again); sources whose endpoint has
 * no location (a wildcard registry's own entry) are skipped.
 */
function addScopeMirrors(entries: Set<string>, scope: string, reg: NodeRegistry | null, policyScope: string): void {
  if (reg === null) return;
  let s = scope.startsWith('*.') ? `matched${scope.slice(1)}` : scope;
  const addedDummy = !s.includes('/');
  if (addedDummy) s += '/a';
  // reference.Parse + TrimNamed: the repository without tag or digest.
  let repo = s.replace(/@.*$/, '');
  const slash = repo.lastIndexOf('/');
  const colon = repo.lastIndexOf(':');
  if (colon > slash) repo = repo.slice(0, colon);
  const prefix = registryScope(reg);
  for (const isDigest of [true, false]) {
    const endpoints = [];
    for (const m of reg.mirrors) {
      // sysregistriesv2 PullSourcesFromReference: mirror-by-digest-only and per-mirror pull-from-mirror filters.
      if (reg.mirrorByDigestOnly && !isDigest) continue;
      if (!reg.mirrorByDigestOnly && m.pullFromMirror === 'digest-only' && !isDigest) continue;
      if (!reg.mirrorByDigestOnly && m.pullFromMirror === 'tag-only' && isDigest) continue;
      endpoints.push(m.location);
    }
    endpoints.push(reg.location);
    for (const location of endpoints) {
      if (location === '') continue;
      // Endpoint.rewriteReference: location + what follows the matched prefix, parsed with reference.ParseNamed.
      const cut = matchedPrefixLength(repo, prefix);
      const rewritten = location + repo.slice(cut);
      try {
        parseCanonicalDockerRef(rewritten);
      } catch {
        throw new PullpathError(
          'PP_ERR_OPENSHIFT_POLICY',
          `error adding clusterimagepolicy scope ${policyScope} relevant mirrors: error getting ${isDigest ? 'digest' : 'tag'} sources for scope ${s}: ${JSON.stringify(rewritten)} is not a canonical reference`,
        );
      }
      entries.add(addedDummy && rewritten.endsWith('/a') ? rewritten.slice(0, -2) : rewritten);
    }
  }
}

/**
 * Every endpoint other than the scope itself that pulls for `scope` may come from under `conf`: the mirrors
 * `addScopeMirrors` would list (digest and tag pulls), plus the registries nested in the scope and theirs.
 */
export function registryIndex(conf: NodeRegistriesConf): RegistryIndex {
  return indexRegistries(conf.registries ?? []);
}

export function attachmentSources(scope: string, conf: NodeRegistriesConf | null, index?: RegistryIndex): string[] {
  if (conf === null) return [];
  const entries = new Set<string>();
  try {
    addScopeAndNested(entries, scope, index ?? indexRegistries(conf.registries ?? []));
  } catch {
    // An unusable rewrite is the renderer's error to report.
  }
  entries.delete(scope);
  return [...entries];
}

/** sysregistriesv2 `refMatchingPrefix`: length of `ref` covered by `prefix` (for `*.x`, up to the host's end). */
function matchedPrefixLength(ref: string, prefix: string): number {
  if (prefix.startsWith('*.')) {
    const idx = ref.indexOf(prefix.slice(1));
    return idx + prefix.length - 1;
  }
  return prefix.length;
}

/**
 * ghodss/yaml `Marshal` of `{docker: {scope: {use-sigstore-attachments: true}}}`: keys in yaml.v2's order
 * (sorter.go `keyList.Less`: runs of digits compare as numbers, letters before other characters), plain
 * scalars unless yaml.v2 would read them as something else or they start with an indicator (`*`: single-quoted).
 */
export function yamlV2Docker(scopes: string[]): string {
  const lines = ['docker:'];
  for (const s of [...scopes].sort(yamlV2Compare)) lines.push(`  ${yamlV2Key(s)}:`, '    use-sigstore-attachments: true');
  return `${lines.join('\n')}\n`;
}

function yamlV2Key(s: string): string {
  // encode.go stringv: strings that resolve to another type (numbers, bools, null, base-60 floats) are double-quoted.
  if (/^(?:[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|)$/.test(s) || /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s)) {
    return JSON.stringify(s);
  }
  // emitterc.go yaml_emitter_analyze_scalar: a leading indicator (here `*`, `@`, `&`, `!`, …) forbids plain style.
  if (/^[#,[\]{}&*!|>'"%@`]/.test(s) || /^[-?:](?:\s|$)/.test(s) || /: |\s#/.test(s) || /\s$/.test(s)) return `'${s.replace(/'/g, "''")}'`;
  return s;
}

/** yaml.v2 sorter.go `keyList.Less` for two strings. */
export function yamlV2Compare(a: string, b: string): number {
  if (a === b) return 0;
  return yamlV2Less(a, b) ? -1 : 1;
}

function yamlV2Less(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string): boolean => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i] as string;
    const y = br[i] as string;
    if (x === y) continue;
    const al = isLetter(x);
    const bl = isLetter(y);
    if (al && bl) return x < y;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return x < y;
  }
  return ar.length < br.length;
}
