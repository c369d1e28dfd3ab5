/**
 * pullpath's public surface, one namespace per layer (the same modules the CLI uses).
 *
 * @example
 *   import { config, resolve } from 'pullpath';
 *   const conf = config.loadRegistriesConfFromTexts({ main: { path: 'r.conf', text }, mainPath: 'r.conf', dropins: [] });
 *   const r = resolve.resolveArg(resolve.compileConfig(conf), 'docker://quay.io/org/app:1.4');
 *   console.log(r.sources.map((s) => s.reference));
 */
export * as reference from './reference/index.ts';
export * as config from './config/index.ts';
export * as resolve from './resolve/index.ts';
export * as policy from './policy/index.ts';
export * as openshift from './openshift/index.ts';
export * as registry from './registry/index.ts';
export * as pull from './pull/index.ts';
export * as mock from './mock/index.ts';
export * as scenario from './scenario/index.ts';
export type { Resolution, PullSource, SkippedMirror, MatchedRegistry, ShortNameCandidate, PolicyDecision } from './resolve/resolution.ts';
export type { PullEvent, AttemptEvent, ResultEvent, ImageStartEvent, AttemptStartEvent, ErrorClass } from './events/pull-events.ts';
export { PullpathError, ConfigError, UsageError } from './errors.ts';
