/**
 * The plain-text scenario report: per scenario its story, per pull the attempts in try order (as the
 * engine reported them) and each expectation met or not. Pure: report in, string out.
 * Secrets cannot appear: the report holds engine events (redacted URLs) and expectations, never auth-json.
 */
import type { AttemptEvent, ImageStartEvent, ResultEvent } from '../events/pull-events.ts';
import type { PullRunReport, ScenarioReport } from '../scenario/types.ts';

function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`;
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

function pullLines(p: PullRunReport): string[] {
  const start = p.events.find((e): e is ImageStartEvent => e.type === 'image');
  const attempts = p.events.filter((e): e is AttemptEvent => e.type === 'attempt').sort((a, b) => a.index - b.index);
  const result = p.events.find((e): e is ResultEvent => e.type === 'result');
  const verdict = result ? (result.ok ? `ok from ${result.source}` : 'failed') : 'did not finish';
  const lines = [`  ${p.ok ? 'PASS' : 'FAIL'}  ${p.key}  ${p.ref}: ${verdict}${result ? ` (${ms(result.durationMs)})` : ''}`];
  if (start?.error) lines.push(`        resolution: ${start.error}`);
  for (const s of start?.skipped ?? []) lines.push(`        skipped ${s.location}: ${s.reason}`);
  for (const a of attempts) {
    const role = a.mirror ? 'mirror ' : 'primary';
    const what = a.outcome === 'ok' ? 'ok' : `${a.outcome}${a.errorClass ? ` (${a.errorClass})` : ''}`;
    lines.push(`        ${a.index + 1}. ${role} ${a.reference}  ${what}  ${ms(a.durationMs)}`);
    if (a.error) lines.push(indent(a.error, '             '));
  }
  if (result && !result.ok && result.error && attempts.length > 1) {
    lines.push('        final error:');
    lines.push(indent(result.error, '          '));
  }
  for (const x of p.expectations) {
    lines.push(
      x.ok
        ? `        ✓ ${x.key}: ${x.expected}`
        : `        ✗ ${x.key}: expected ${x.expected}\n            got ${x.actual.replace(/\n/g, '\n            ')}`,
    );
  }
  return lines;
}

/** One scenario, as `pullpath scenario run` prints it. */
export function formatScenarioText(r: ScenarioReport): string {
  const lines = [`scenario ${r.name}  (${r.file})`];
  if (r.story) lines.push(indent(r.story, '  '), '');
  for (const p of r.pulls) lines.push(...pullLines(p));
  if (r.error) {
    // A set-up failure or a cancelled run: show what did run, then why the rest did not.
    lines.push(`  ERROR  ${r.error}`);
    return lines.join('\n') + '\n';
  }
  for (const m of r.mocks) {
    if (m.unmatched.length > 0) lines.push(`  note: ${m.host} received requests it does not serve: ${m.unmatched.slice(0, 5).join(', ')}`);
    // A fault that never fired tested nothing: say so.
    for (const rule of m.unusedRules) lines.push(`  note: ${m.host}: fault rule never fired: ${rule}`);
  }
  lines.push('', totalsLine(r));
  return lines.join('\n') + '\n';
}

/** The verdict alone: the totals line and each expectation not met (after a TUI run showed the rest). */
export function formatScenarioVerdict(r: ScenarioReport): string {
  const lines = [`scenario ${r.name}  (${r.file})`];
  if (r.error) lines.push(`  ERROR  ${r.error}`);
  for (const p of r.pulls) {
    for (const x of p.expectations.filter((e) => !e.ok)) lines.push(`  ✗ ${p.key} ${p.ref}: ${x.key}: expected ${x.expected}, got ${x.actual}`);
  }
  lines.push(totalsLine(r));
  return lines.join('\n') + '\n';
}

function totalsLine(r: ScenarioReport): string {
  const met = r.pulls.reduce((n, p) => n + p.expectations.filter((x) => x.ok).length, 0);
  const all = r.pulls.reduce((n, p) => n + p.expectations.length, 0);
  const passed = r.pulls.filter((p) => p.ok).length;
  return `  ${r.ok ? 'PASS' : 'FAIL'}: ${passed}/${r.pulls.length} pulls as expected, ${met}/${all} expectations met, ${ms(r.durationMs)}`;
}

/** The closing line over several scenarios. */
export function formatScenarioTotals(reports: readonly ScenarioReport[]): string {
  const failed = reports.filter((r) => !r.ok);
  return failed.length === 0
    ? `all ${reports.length} scenario(s) passed\n`
    : `${failed.length} of ${reports.length} scenario(s) failed: ${failed.map((r) => r.name).join(', ')}\n`;
}
