/**
 * JUnit XML for CI: one <testsuite> per scenario, one <testcase> per pull run. An unmet expectation is a
 * <failure>; a scenario that could not be set up is one <testcase> with an <error>. Pure: reports in,
 * string out. The layout is the common subset that Jenkins, GitLab and GitHub reporters read.
 */
import type { AttemptEvent, ResultEvent } from '../events/pull-events.ts';
import type { PullRunReport, ScenarioReport } from '../scenario/types.ts';

/** Escapes text for XML attributes and content, dropping characters XML 1.0 cannot carry. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function seconds(msValue: number): string {
  return (msValue / 1000).toFixed(3);
}

function attemptsText(p: PullRunReport): string {
  const lines: string[] = [];
  for (const e of p.events) {
    if (e.type === 'attempt') {
      const a = e as AttemptEvent;
      lines.push(`${a.index + 1}. ${a.reference}: ${a.outcome}${a.error ? `: ${a.error}` : ''}`);
    }
  }
  const r = p.events.find((e): e is ResultEvent => e.type === 'result');
  if (r) lines.push(r.ok ? `result: ok from ${r.source}` : `result: failed: ${r.error ?? ''}`);
  return lines.join('\n');
}

function testcase(s: ScenarioReport, p: PullRunReport): string {
  const r = p.events.find((e): e is ResultEvent => e.type === 'result');
  const attrs = `classname="${xmlEscape(s.name)}" name="${xmlEscape(`${p.key} ${p.ref}`)}" time="${seconds(r?.durationMs ?? 0)}"`;
  const failed = p.expectations.filter((x) => !x.ok);
  const failure =
    failed.length === 0
      ? ''
      : `\n      <failure message="${xmlEscape(`${failed.length} expectation(s) not met: ${failed.map((x) => x.key).join(', ')}`)}" type="ExpectationNotMet">${xmlEscape(
          failed.map((x) => `${x.key}: expected ${x.expected}, got ${x.actual}`).join('\n'),
        )}</failure>`;
  return `    <testcase ${attrs}>${failure}\n      <system-out>${xmlEscape(attemptsText(p))}</system-out>\n    </testcase>`;
}

/** The whole document for one `scenario run` invocation. */
export function formatJunit(reports: readonly ScenarioReport[]): string {
  const suites = reports.map((s) => {
    const tests = s.error ? 1 : s.pulls.length;
    const failures = s.error ? 0 : s.pulls.filter((p) => !p.ok).length;
    const errors = s.error ? 1 : 0;
    const head = `  <testsuite name="${xmlEscape(s.name)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds(s.durationMs)}" file="${xmlEscape(s.file)}">`;
    const body = s.error
      ? `    <testcase classname="${xmlEscape(s.name)}" name="set-up" time="0.000">\n      <error message="${xmlEscape(s.error)}" type="ScenarioError"/>\n    </testcase>`
      : s.pulls.map((p) => testcase(s, p)).join('\n');
    return `${head}\n${body}\n  </testsuite>`;
  });
  const tests = reports.reduce((n, s) => n + (s.error ? 1 : s.pulls.length), 0);
  const failures = reports.reduce((n, s) => n + (s.error ? 0 : s.pulls.filter((p) => !p.ok).length), 0);
  const errors = reports.filter((s) => s.error).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="pullpath scenarios" tests="${tests}" failures="${failures}" errors="${errors}">\n${suites.join('\n')}\n</testsuites>\n`;
}
