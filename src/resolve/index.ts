/**
 * Pull resolution under registries.conf rules, as containers/image decides it. Pure: data in, data out.
 *
 * @example
 *   const compiled = compileConfig(conf);               // once per RegistriesConfig
 *   const r = resolveArg(compiled, 'docker://quay.io/org/app:1');
 *   r.sources.map((s) => s.reference);                  // mirrors in file order, then the primary
 */
export { compileConfig, compileEntry, findRegistry, findRegistryByScan, lookupEntry } from './compile.ts';
export type { CompiledConfig, CompiledEntry, EndpointPlan } from './compile.ts';
export { pullSources, pullSourcesFor, sourcesForReference, blockedMessage } from './pull-sources.ts';
export type { PullSourcesResult } from './pull-sources.ts';
export { rewriteReference } from './rewrite.ts';
export { refMatchingPrefix, refMatchingSubdomainPrefix, matchPrefix, isWildcardPrefix } from './prefix-match.ts';
export { resolveShortName, resolveShortNameLocally } from './short-names.ts';
export type { ShortNameOutcome, ShortNameCandidateRef } from './short-names.ts';
export {
  resolveArg,
  resolveBareReference,
  resolveDockerReference,
  resolveReference,
  matchedRegistry,
} from './resolve.ts';
export { formatOrigin } from './origin.ts';
export type * from './resolution.ts';
