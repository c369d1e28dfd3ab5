/**
 * runtime-utils `EditRegistriesConfig`, step for step: mirror sets first (digest, then tag), then blocked
 * scopes pre-created, insecure and blocked flags propagated to nested scopes, and finally mirrors copied onto
 * nested entries that have none (registries.conf only uses the longest matching prefix, so a nested entry
 * without mirrors would otherwise shadow its parent's mirrors).
 */
import { PullpathError } from '../errors.ts';
import { mergeMirrorRules, type MergedMirrorSet } from './mirror-sets.ts';
import { newRegistry, type NodeEndpoint, type NodeRegistriesConf, type NodeRegistry } from './node-registries-conf.ts';
import { scopeIsNestedInsideScope } from './scopes.ts';
import type { MirrorRule } from './types.ts';
import { goQuote } from '../go-quote.ts';

type Rule = Pick<MirrorRule, 'source' | 'mirrors' | 'mirrorSourcePolicy'>;

export interface EditInputs {
  insecure: string[];
  blocked: string[];
  /** IDMS rules then ICSP rules (ICSP rules with policy ''), merged into one digest pool. */
  digestRules: Rule[];
  tagRules: Rule[];
  /**
   * OpenShift ≤ 4.12 (runtime-utils before IDMS): ICSP sets `mirror-by-digest-only = true` on the entry and
   * mirrors carry no `pull-from-mirror`; there are no tag rules and no NeverContactSource.
   */
  legacyIcsp: boolean;
}

export function registryScope(reg: NodeRegistry): string {
  return reg.prefix !== '' ? reg.prefix : reg.location;
}

/** Edits `conf` in place (its `registries` list is created when needed). */
export function editRegistriesConfig(conf: NodeRegistriesConf, inp: EditInputs): void {
  const regs: NodeRegistry[] = conf.registries ?? [];
  const get = (scope: string): NodeRegistry => {
    const found = regs.find((r) => registryScope(r) === scope);
    if (found !== undefined) return found;
    const reg = scope.startsWith('*.') ? newRegistry({ prefix: scope }) : newRegistry({ location: scope });
    regs.push(reg);
    conf.registries = regs;
    return reg;
  };

  const addMirrors = (sets: MergedMirrorSet[], pullFromMirror: string): void => {
    for (const set of sets) {
      const reg = get(set.source);
      if (inp.legacyIcsp) reg.mirrorByDigestOnly = true;
      else if (set.neverContactSource) reg.blocked = true;
      for (const m of set.mirrors) reg.mirrors.push({ location: m, insecure: false, pullFromMirror: inp.legacyIcsp ? '' : pullFromMirror });
    }
  };
  const digestSets = mergeMirrorRules(inp.digestRules);
  addMirrors(digestSets, 'digest-only');
  const tagSets = inp.legacyIcsp ? [] : mergeMirrorRules(inp.tagRules);
  addMirrors(tagSets, 'tag-only');

  // Blocked entries exist before insecure propagation so that e.g. *.blocked.insecure.com gets insecure too.
  for (const scope of inp.blocked) get(scope);

  for (const scope of inp.insecure) {
    get(scope).insecure = true;
    for (const reg of regs) {
      if (scopeIsNestedInsideScope(registryScope(reg), scope)) reg.insecure = true;
      for (const m of reg.mirrors) if (scopeIsNestedInsideScope(m.location, scope)) m.insecure = true;
    }
  }
  for (const scope of inp.blocked) {
    get(scope).blocked = true;
    for (const reg of regs) if (scopeIsNestedInsideScope(registryScope(reg), scope)) reg.blocked = true;
  }

  for (const set of [...digestSets, ...tagSets]) {
    const parent = get(set.source);
    const parentScope = registryScope(parent);
    for (const reg of regs) {
      const scope = registryScope(reg);
      if (scope !== parentScope && scopeIsNestedInsideScope(scope, parentScope) && reg.mirrors.length === 0) {
        if (inp.legacyIcsp) reg.mirrorByDigestOnly = parent.mirrorByDigestOnly;
        reg.mirrors = mirrorsAdjustedForNestedScope(parentScope, scope, parent.mirrors);
      }
    }
  }
}

function mirrorsAdjustedForNestedScope(parentScope: string, subScope: string, mirrors: NodeEndpoint[]): NodeEndpoint[] {
  if (parentScope.startsWith('*.')) {
    // The MCO fails the whole sync with this message (runtime-utils cannot rewrite mirrors of a wildcard source).
    throw new PullpathError(
      'PP_ERR_OPENSHIFT_WILDCARD_MIRROR',
      `internal error: mirrorsAdjustedForNestedScope for a wildcard scope ${goQuote(parentScope)}`,
    );
  }
  const suffix = subScope.slice(parentScope.length);
  return mirrors.map((m) => ({ ...m, location: m.location + suffix }));
}

