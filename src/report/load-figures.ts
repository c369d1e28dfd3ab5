/**
 * The figures of a load run as every view shows them: the text report, the live TUI board, and (as numbers)
 * the JSON, all from one LoadSummary, the load recorder's aggregate. Each figure is formatted here once, so a
 * p90 or a failing window reads the same in the TUI and in plain mode; views only choose the layout.
 * Pure: a LoadSummary in, strings out.
 */
import type { LatencySummary } from '../load/latency-histogram.ts';
import type { EndpointLoadSummary, LoadSummary } from '../load/load-summary.ts';
import { fmtCounts, fmtMs } from './text-table.ts';

/** Count and percentiles of one histogram, formatted. */
export interface LatencyFigures {
  count: string;
  p50: string;
  p90: string;
  p99: string;
  max: string;
}

export function latencyFigures(l: LatencySummary): LatencyFigures {
  return { count: String(l.count), p50: fmtMs(l.p50Ms), p90: fmtMs(l.p90Ms), p99: fmtMs(l.p99Ms), max: fmtMs(l.maxMs) };
}

/** Seconds since the run started, or `end` for a window still open. */
export function fmtRunTime(ms: number | null): string {
  return ms === null ? 'end' : `${(ms / 1000).toFixed(1)} s`;
}

export function fmtShare(part: number, whole: number): string {
  return `${((part / Math.max(1, whole)) * 100).toFixed(1)}%`;
}

export function failedPulls(s: LoadSummary): number {
  return Object.values(s.failures).reduce((a, b) => a + b, 0);
}

/** The report's first line: pulls, time, mode, throughput, outcome counts and the failure classes. */
export function loadHeadline(s: LoadSummary): string {
  const failed = failedPulls(s);
  return (
    `${s.requests} pulls in ${(s.elapsedMs / 1000).toFixed(1)} s (${s.mode} loop): ${s.throughputPerSec}/s, ` +
    `${s.successes} ok, ${failed} failed (${(s.successRate * 100).toFixed(1)}% success)` +
    (failed ? `; failures: ${fmtCounts(s.failures)}` : '') +
    // Stopped by the run (Ctrl-C): not failures, and outside every figure above.
    (s.cancelled > 0 ? `; ${s.cancelled} cancelled when the run stopped` : '')
  );
}

export function mismatchLine(s: LoadSummary): string {
  return `digest mismatches accepted: ${s.digestMismatches}${s.digestMismatches === 0 ? ' (as it must be)' : '  <-- WRONG CONTENT WAS ACCEPTED'}`;
}

/** Time spent on failing sources before the winning one, per fault kind, in the recorder's order. */
export function failoverFigures(s: LoadSummary): ({ kind: string } & LatencyFigures)[] {
  return Object.entries(s.failover).map(([kind, l]) => ({ kind, ...latencyFigures(l) }));
}

export interface EndpointFigures extends LatencyFigures {
  /** The configured location, with ` (source)` for the primary. */
  name: string;
  attempts: string;
  ok: string;
  /** Failed and blocked attempts. */
  failed: string;
  errors: string;
  /** When this endpoint was seen failing (first to last failed attempt), or `-`. */
  failing: string;
  /** Pulls it served, and their share of all successful pulls. */
  won: string;
  share: string;
}

export function endpointFigures(s: LoadSummary, e: EndpointLoadSummary): EndpointFigures {
  const won = s.winners[e.endpoint] ?? 0;
  return {
    name: e.endpoint + (e.mirror ? '' : ' (source)'),
    attempts: String(e.attempts),
    ok: String(e.ok),
    failed: String(e.failed + e.blocked),
    ...latencyFigures(e.latency),
    count: String(e.latency.count),
    errors: fmtCounts({ ...e.errors, ...(e.blocked ? { blocked: e.blocked } : {}) }),
    failing: e.failingFromMs === null ? '-' : `${fmtRunTime(e.failingFromMs)} – ${fmtRunTime(e.failingToMs)}`,
    won: String(won),
    share: fmtShare(won, s.successes),
  };
}

/** The scenario's fault windows, in run time. */
export function faultFigures(s: LoadSummary): { fault: string; on: string; active: string }[] {
  return s.faults.map((f) => ({ fault: f.kind + (f.path ? ` ${f.path}` : ''), on: f.registry, active: `${fmtRunTime(f.fromMs)} – ${fmtRunTime(f.toMs)}` }));
}
