/** `pullpath lint` engine: load errors plus pitfall warnings over registries.conf texts. */
export { lintRegistriesConf } from './lint-config.ts';
export type { LintReport } from './lint-config.ts';
export type { LintFinding, LintSeverity } from './finding.ts';
export { findingWhere } from './finding.ts';
export { formatLintText, formatLintJsonLines, formatFindingText } from './format.ts';
