/**
 * JSON Lines for `pullpath scenario run --output json`: one `pull` object per pull run, then one
 * `scenario` object per scenario. camelCase, stable field names; attempts and the result are the
 * engine's own events (the `pull --output json` contract), expectations as checked.
 */
import type { AttemptEvent, ImageStartEvent, ResultEvent } from '../pull/events.ts';
import type { ScenarioReport } from '../scenario/types.ts';

export function formatScenarioJsonLines(r: ScenarioReport): string {
  const lines: string[] = [];
  for (const p of r.pulls) {
    const start = p.events.find((e): e is ImageStartEvent => e.type === 'image') ?? null;
    lines.push(
      JSON.stringify({
        type: 'pull',
        scenario: r.name,
        file: r.file,
        key: p.key,
        ref: p.ref,
        run: p.run,
        ok: p.ok,
        expectations: p.expectations,
        skipped: start?.skipped ?? [],
        attempts: p.events.filter((e): e is AttemptEvent => e.type === 'attempt').sort((a, b) => a.index - b.index),
        result: p.events.find((e): e is ResultEvent => e.type === 'result') ?? null,
      }),
    );
  }
  lines.push(
    JSON.stringify({
      type: 'scenario',
      scenario: r.name,
      file: r.file,
      ok: r.ok,
      error: r.error,
      pulls: r.pulls.length,
      passed: r.pulls.filter((p) => p.ok).length,
      failed: r.pulls.filter((p) => !p.ok).length,
      expectationsMet: r.pulls.reduce((n, p) => n + p.expectations.filter((x) => x.ok).length, 0),
      expectations: r.pulls.reduce((n, p) => n + p.expectations.length, 0),
      durationMs: Math.round(r.durationMs),
      mocks: r.mocks,
    }),
  );
  return lines.join('\n') + '\n';
}
