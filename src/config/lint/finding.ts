/**
 * One lint finding: where (file:line), a stable code, what the runtime will do, and what to write instead.
 * Codes are stable (`PP_LINT_…` for warnings, the loader's `PP_ERR_CONFIG_…` for load errors): match on them.
 */
import { formatRenderedFrom } from '../rendered-from.ts';
import type { RenderedFrom } from '../types.ts';

export type LintSeverity = 'error' | 'warning';

export interface LintFinding {
  severity: LintSeverity;
  code: string;
  file: string;
  line?: number;
  /** What happens at pull time, in words. */
  message: string;
  /** What to write instead. */
  fix?: string;
  /** When `file` was rendered from cluster objects (`--openshift`): the objects this line came from. */
  rendered?: RenderedFrom[];
}

/** `file:line` (or `file` when the line is unknown); for a rendered file, the objects the line came from. */
export function findingWhere(f: LintFinding): string {
  if (f.rendered !== undefined && f.rendered.length > 0) return formatRenderedFrom(f.rendered);
  return f.line !== undefined ? `${f.file}:${f.line}` : f.file;
}

/** Findings in file order, then line order; errors first at equal position. Stable for equal keys. */
export function sortFindings(findings: LintFinding[], fileOrder: string[]): LintFinding[] {
  const rank = new Map(fileOrder.map((f, i) => [f, i]));
  return findings
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        (rank.get(a.f.file) ?? 1e9) - (rank.get(b.f.file) ?? 1e9) ||
        (a.f.line ?? 0) - (b.f.line ?? 0) ||
        (a.f.severity === b.f.severity ? 0 : a.f.severity === 'error' ? -1 : 1) ||
        a.i - b.i,
    )
    .map(({ f }) => f);
}
