/** Lint findings as text (one block per finding) and as JSON Lines (one object per finding, stable camelCase fields). */
import { findingWhere, type LintFinding } from './finding.ts';
import type { LintReport } from './lint-config.ts';

export function formatFindingText(f: LintFinding): string {
  const lines = [`${findingWhere(f)}: ${f.severity} ${f.code}: ${f.message}`];
  if (f.fix) lines.push(`    fix: ${f.fix}`);
  return lines.join('\n');
}

export function formatLintText(report: LintReport): string {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  const out = report.findings.map(formatFindingText);
  const files = report.files.length === 0 ? 'no configuration files found' : `${report.files.length} file(s): ${report.files.join(', ')}`;
  out.push(`${errors} error(s), ${warnings} warning(s) in ${files}`);
  return out.join('\n') + '\n';
}

export function formatLintJsonLines(report: LintReport): string {
  return report.findings
    .map((f) => {
      // A rendered finding names the cluster object's YAML file and line, and lists every object it came from.
      const r = f.rendered?.[0];
      const where = r !== undefined ? { file: r.file, line: r.line ?? null, renderedFrom: f.rendered } : { file: f.file, line: f.line ?? null };
      return JSON.stringify({ type: 'finding', severity: f.severity, code: f.code, ...where, message: f.message, fix: f.fix ?? null });
    })
    .map((l) => l + '\n')
    .join('');
}
