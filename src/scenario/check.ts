/**
 * Expectations against what the engine reported: a pure function of the PullEvents of ONE pull run.
 * Each expectation yields one result with the expected and actual values in words, so a report can
 * say exactly what differed. Nothing is re-derived: only the engine's events are read.
 */
import type { AttemptEvent, ImageStartEvent, PullEvent, ResultEvent } from '../events/pull-events.ts';
import type { AttemptExpectation, ExpectationResult, PullExpectation } from './types.ts';

function attemptWords(a: { reference: string; outcome: string; errorClass?: string | null }): string {
  return `${a.reference} → ${a.outcome}${a.errorClass ? ` (${a.errorClass})` : ''}`;
}

function attemptMatches(want: AttemptExpectation, got: AttemptEvent): boolean {
  if (want.reference !== got.reference || want.outcome !== got.outcome) return false;
  if (want.errorClass !== undefined && want.errorClass !== got.errorClass) return false;
  if (want.errorContains !== undefined && !(got.error ?? '').includes(want.errorContains)) return false;
  return true;
}

function quote(s: string | null | undefined): string {
  return s === null || s === undefined ? '(none)' : JSON.stringify(s);
}

/**
 * Checks one pull's events against its expectations.
 * @param events every event of one pull of one image (image, attempt-start, attempt, result).
 * @returns one result per expectation given; [] when none were given.
 * @example checkExpectations(events, { outcome: 'ok', source: 'mirror.example.com:5000/org/app:1.4' })
 */
export function checkExpectations(events: readonly PullEvent[], expect: PullExpectation): ExpectationResult[] {
  const start = events.find((e): e is ImageStartEvent => e.type === 'image');
  const attempts = events.filter((e): e is AttemptEvent => e.type === 'attempt').sort((a, b) => a.index - b.index);
  const result = events.find((e): e is ResultEvent => e.type === 'result');
  const out: ExpectationResult[] = [];
  const add = (key: string, ok: boolean, expected: string, actual: string): void => {
    out.push({ key, ok, expected, actual });
  };
  const noResult = 'no result (the pull did not finish)';

  if (expect.outcome !== undefined) {
    const actual = result ? (result.ok ? 'ok' : 'failed') : noResult;
    add('outcome', actual === expect.outcome, expect.outcome, actual);
  }
  if (expect.source !== undefined) {
    const actual = result ? quote(result.source) : noResult;
    add('source', result?.source === expect.source, quote(expect.source), actual);
  }
  if (expect.attempts !== undefined) {
    const want = expect.attempts;
    add('attempts.count', want.length === attempts.length, String(want.length), String(attempts.length));
    for (let i = 0; i < Math.max(want.length, attempts.length); i++) {
      const w = want[i];
      const g = attempts[i];
      const expected = w ? attemptWords(w) + (w.errorContains ? ` containing ${quote(w.errorContains)}` : '') : '(no attempt)';
      const actual = g ? attemptWords(g) + (g.error ? `: ${g.error}` : '') : '(no attempt)';
      add(`attempts[${i}]`, w !== undefined && g !== undefined && attemptMatches(w, g), expected, actual);
    }
  }
  if (expect.skipped !== undefined) {
    const actual = (start?.skipped ?? []).map((s) => s.location);
    const ok = sameSet(expect.skipped, actual);
    add('skipped', ok, `[${expect.skipped.join(', ')}]`, `[${actual.join(', ')}]`);
  }
  if (expect.errorClass !== undefined) {
    const actual = result ? (result.errorClass ?? '(none)') : noResult;
    add('error-class', result?.errorClass === expect.errorClass, expect.errorClass, actual);
  }
  (expect.errorContains ?? []).forEach((text, i) => {
    const actual = result ? quote(result.error) : noResult;
    add(`error-contains[${i}]`, (result?.error ?? '').includes(text), `the final error contains ${quote(text)}`, actual);
  });
  if (expect.digest !== undefined) {
    const actual = result ? quote(result.digest) : noResult;
    add('digest', result?.digest === expect.digest, quote(expect.digest), actual);
  }
  if (expect.maxMs !== undefined) {
    const actual = result ? `${Math.round(result.durationMs)} ms` : noResult;
    add('max-ms', result !== undefined && result.durationMs <= expect.maxMs, `at most ${expect.maxMs} ms`, actual);
  }
  if (expect.signatures !== undefined) {
    const sig = result?.signatures;
    const actual = !result ? noResult : sig === undefined ? 'not-checked' : sig.ok ? 'verified' : 'rejected';
    add('signatures', actual === expect.signatures, expect.signatures, actual);
  }
  return out;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
