/**
 * JSON Lines for `pullpath scenario run --output json` (schemas/scenario.schema.json): one `pull` object per
 * pull run, then one `scenario` object per scenario. camelCase, stable field names; attempts and the
 * result are the records `pull --output json` writes for the same events, expectations as checked.
 * Counts are named as verify's summary names them: `total`, `passed`, `failed`.
 */
import type { AttemptEvent, ImageStartEvent, ResultEvent } from '../events/pull-events.ts';
import { pullEventJson, resultJson } from './pull-jsonl.ts';
import type { ScenarioReport } from '../scenario/types.ts';

export function formatScenarioJsonLines(r: ScenarioReport): string {
  const lines: string[] = [];
  for (const p of r.pulls) {
    const start = p.events.find((e): e is ImageStartEvent => e.type === 'image');
    const attempts = p.events.filter((e): e is AttemptEvent => e.type === 'attempt').sort((a, b) => a.index - b.index);
    const result = p.events.find((e): e is ResultEvent => e.type === 'result');
    lines.push(
      JSON.stringify({
        type: 'pull',
        scenario: r.name,
        file: r.file,
        key: p.key,
        image: p.ref,
        run: p.run,
        ok: p.ok,
        expectations: p.expectations,
        skipped: start?.skipped ?? [],
        attempts: attempts.map((a) => pullEventJson(a)),
        result: result ? resultJson(result, start, attempts) : null,
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
      total: r.pulls.length,
      passed: r.pulls.filter((p) => p.ok).length,
      failed: r.pulls.filter((p) => !p.ok).length,
      expectationsMet: r.pulls.reduce((n, p) => n + p.expectations.filter((x) => x.ok).length, 0),
      expectationsTotal: r.pulls.reduce((n, p) => n + p.expectations.length, 0),
      durationMs: Math.round(r.durationMs),
      mocks: r.mocks,
    }),
  );
  return lines.join('\n') + '\n';
}
