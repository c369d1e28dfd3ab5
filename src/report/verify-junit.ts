/**
 * `verify --junit FILE`: one <testcase> per image, a <failure> per image a mirror would not serve, with
 * the reason as its type. Reuses the scenario report's XML escaping (src/report/junit.ts). Pure.
 */
import type { VerifyVerdict } from '../verify/verdict.ts';
import { xmlEscape } from './junit.ts';

export function formatVerifyJunit(verdicts: readonly VerifyVerdict[], durationMs: number): string {
  const failures = verdicts.filter((v) => !v.ok).length;
  const cases = verdicts.map((v) => {
    const attrs = `classname="pullpath.verify" name="${xmlEscape(v.image)}" time="${(v.durationMs / 1000).toFixed(3)}"`;
    const out = v.attempts.map((a) => `${a.location}: ${a.outcome}${a.error ? `: ${a.error}` : ''}`).join('\n');
    const failure = v.ok ? '' : `\n      <failure message="${xmlEscape(`${v.reason}: ${v.detail}`)}" type="${xmlEscape(v.reason ?? 'failed')}"/>`;
    return `    <testcase ${attrs}>${failure}\n      <system-out>${xmlEscape(v.ok ? `served by ${v.mirror}\n${out}` : out)}</system-out>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="pullpath verify" tests="${verdicts.length}" failures="${failures}" errors="0">`,
    `  <testsuite name="verify" tests="${verdicts.length}" failures="${failures}" errors="0" skipped="0" time="${(durationMs / 1000).toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
