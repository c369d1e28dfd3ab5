/**
 * The end-of-run load report as text: totals that add up, latency percentiles (end to end, per
 * endpoint, per step), winners, time-to-failover per fault kind, fault windows, digest mismatches.
 * Pure: a LoadSummary in, a string out. Every figure comes from load-figures.ts, which the TUI's
 * load board reads too, so both views print the same numbers.
 */
import type { LatencySummary } from '../load/latency-histogram.ts';
import type { LoadSummary } from '../load/load-summary.ts';
import { endpointFigures, failoverFigures, faultFigures, fmtShare, latencyFigures, loadHeadline, mismatchLine } from './load-figures.ts';
import { textTable } from './text-table.ts';

const pct = (l: LatencySummary): string[] => {
  const f = latencyFigures(l);
  return [f.count, f.p50, f.p90, f.p99, f.max];
};

export function formatLoadReport(s: LoadSummary): string {
  const out: string[] = [];
  out.push(loadHeadline(s));
  out.push(mismatchLine(s));
  if (s.mode === 'open' && s.lateStarts > 0) out.push(`${s.lateStarts} pull(s) started late (in-flight cap reached or generator behind): their latency counts from the scheduled time`);
  out.push('', textTable(['LATENCY', 'N', 'P50', 'P90', 'P99', 'MAX'], [
    ['end to end' + (s.mode === 'open' ? ' (from schedule)' : ''), ...pct(s.latency)],
    ...(s.mode === 'open' ? [['service time', ...pct(s.serviceTime)]] : []),
    ...Object.entries(s.perStep).map(([step, l]) => [`step ${step}`, ...pct(l)]),
  ]));
  if (s.perEndpoint.length > 0) {
    out.push('', textTable(['ENDPOINT', 'ATTEMPTS', 'OK', 'FAILED', 'P50', 'P90', 'P99', 'MAX', 'ERRORS', 'FAILING'], s.perEndpoint.map((e) => {
      const f = endpointFigures(s, e);
      return [f.name, f.attempts, f.ok, f.failed, f.p50, f.p90, f.p99, f.max, f.errors, f.failing];
    })));
  }
  const winners = Object.entries(s.winners);
  if (winners.length > 0) out.push('', textTable(['WON BY', 'PULLS', 'SHARE'], winners.map(([w, n]) => [w, String(n), fmtShare(n, s.successes)])));
  const fo = failoverFigures(s);
  if (fo.length > 0) out.push('', textTable(['TIME TO FAILOVER', 'PULLS', 'P50', 'P90', 'P99', 'MAX'], fo.map((f) => [f.kind, f.count, f.p50, f.p90, f.p99, f.max])));
  const faults = faultFigures(s);
  if (faults.length > 0) out.push('', textTable(['FAULT', 'ON', 'ACTIVE'], faults.map((f) => [f.fault, f.on, f.active])));
  return out.join('\n');
}
