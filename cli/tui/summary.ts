/**
 * What renderPull returns and prints after the TUI closes: counts, the failed images with
 * the runtime's error, expectations. Pure formatter; the caller writes it.
 */
import { formatMs } from './format/numbers.ts';
import { endEllipsis, oneLine } from './format/text.ts';
import type { PullViewState } from './state/pull-state.ts';
import type { ScenarioExpectation } from './view-models.ts';

export interface PullRunSummary {
  images: number;
  ok: number;
  failed: number;
  /** Images without a verdict when the view closed (cancelled or the stream ended early). */
  unfinished: number;
  attempts: number;
  failedOver: number;
  /** The person quit (q, Ctrl-C) or the signal fired before the stream ended. */
  cancelled: boolean;
  elapsedMs: number;
  expectations: { met: number; notMet: number; pending: number; total: number } | null;
  failures: { image: string; error: string | null }[];
  /** The final folded state, for callers that want more. */
  state: PullViewState;
}

export function summarizePull(
  state: PullViewState,
  expectations: readonly ScenarioExpectation[],
  cancelled: boolean,
  elapsedMs: number,
): PullRunSummary {
  const t = state.totals;
  const failures = state.order
    .map((k) => state.images.get(k)!)
    .filter((img) => img.status === 'failed')
    .map((img) => ({ image: img.image, error: img.result?.error ?? img.resolutionError ?? img.attempts.at(-1)?.error ?? null }));
  return {
    images: t.images,
    ok: t.ok,
    failed: t.failed,
    unfinished: t.pending + t.trying,
    attempts: t.attempts,
    failedOver: t.failedOver,
    cancelled,
    elapsedMs,
    expectations:
      expectations.length === 0
        ? null
        : {
            met: expectations.filter((e) => e.met === true).length,
            notMet: expectations.filter((e) => e.met === false).length,
            pending: expectations.filter((e) => e.met === null).length,
            total: expectations.length,
          },
    failures,
    state,
  };
}

const MAX_LISTED = 10;

/** Plain text (no colour), one line per fact, failures listed with their error on one line. */
export function formatPullSummary(s: PullRunSummary, width = 100, expectations: readonly ScenarioExpectation[] = []): string {
  const head = `${s.cancelled ? 'cancelled' : 'done'} after ${formatMs(s.elapsedMs)}: ${s.images} image${s.images === 1 ? "" : "s"}, ${s.ok} ok, ${s.failed} failed${s.unfinished > 0 ? `, ${s.unfinished} unfinished` : ''} · ${s.attempts} attempts · ${s.failedOver} failed over`;
  const lines = [head];
  for (const f of s.failures.slice(0, MAX_LISTED)) {
    lines.push(endEllipsis(`  ✗ ${f.image}: ${oneLine(f.error ?? 'failed')}`, width));
  }
  if (s.failures.length > MAX_LISTED) lines.push(`  … and ${s.failures.length - MAX_LISTED} more failed images`);
  if (s.expectations !== null) {
    const e = s.expectations;
    lines.push(`expectations: ${e.met}/${e.total} met${e.notMet > 0 ? `, ${e.notMet} not met` : ''}${e.pending > 0 ? `, ${e.pending} undecided` : ''}`);
    for (const x of expectations.filter((x) => x.met === false)) {
      lines.push(endEllipsis(`  ✗ ${x.name}${x.detail ? ` — ${oneLine(x.detail)}` : ''}`, width));
    }
  }
  return lines.join('\n');
}
