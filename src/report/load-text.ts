/**
 * The end-of-run load report as text: totals that add up, latency percentiles (end to end, per
 * endpoint, per step), winners, time-to-failover per fault kind, fault windows, digest mismatches.
 * Pure: a LoadSummary in, a string out.
 */
import type { LatencySummary } from '../load/latency-histogram.ts';
import type { LoadSummary } from '../load/load-summary.ts';
import { fmtCounts, fmtMs, textTable } from './text-table.ts';

const pct = (l: LatencySummary): string[] => [String(l.count), fmtMs(l.p50Ms), fmtMs(l.p90Ms), fmtMs(l.p99Ms), fmtMs(l.maxMs)];
const sec = (ms: number | null): string => (ms === null ? 'end' : `${(ms / 1000).toFixed(1)} s`);

export function formatLoadReport(s: LoadSummary): string {
  const failed = Object.values(s.failures).reduce((a, b) => a + b, 0);
  const out: string[] = [];
  out.push(
    `${s.requests} pulls in ${(s.elapsedMs / 1000).toFixed(1)} s (${s.mode} loop): ${s.throughputPerSec}/s, ` +
      `${s.successes} ok, ${failed} failed (${(s.successRate * 100).toFixed(1)}% success)` +
      (failed ? `; failures: ${fmtCounts(s.failures)}` : ''),
  );
  out.push(`digest mismatches accepted: ${s.digestMismatches}${s.digestMismatches === 0 ? ' (as it must be)' : '  <-- WRONG CONTENT WAS ACCEPTED'}`);
  if (s.mode === 'open' && s.lateStarts > 0) out.push(`${s.lateStarts} pull(s) started late (in-flight cap reached or generator behind): their latency counts from the scheduled time`);
  out.push('', textTable(['LATENCY', 'N', 'P50', 'P90', 'P99', 'MAX'], [
    ['end to end' + (s.mode === 'open' ? ' (from schedule)' : ''), ...pct(s.latency)],
    ...(s.mode === 'open' ? [['service time', ...pct(s.serviceTime)]] : []),
    ...Object.entries(s.perStep).map(([step, l]) => [`step ${step}`, ...pct(l)]),
  ]));
  if (s.perEndpoint.length > 0) {
    out.push('', textTable(['ENDPOINT', 'ATTEMPTS', 'OK', 'FAILED', 'P50', 'P90', 'P99', 'MAX', 'ERRORS', 'FAILING'], s.perEndpoint.map((e) => [
      e.endpoint + (e.mirror ? '' : ' (source)'), String(e.attempts), String(e.ok), String(e.failed + e.blocked),
      fmtMs(e.latency.p50Ms), fmtMs(e.latency.p90Ms), fmtMs(e.latency.p99Ms), fmtMs(e.latency.maxMs),
      fmtCounts({ ...e.errors, ...(e.blocked ? { blocked: e.blocked } : {}) }),
      e.failingFromMs === null ? '-' : `${sec(e.failingFromMs)} – ${sec(e.failingToMs)}`,
    ])));
  }
  const winners = Object.entries(s.winners);
  if (winners.length > 0) out.push('', textTable(['WON BY', 'PULLS', 'SHARE'], winners.map(([w, n]) => [w, String(n), `${((n / Math.max(1, s.successes)) * 100).toFixed(1)}%`])));
  const fo = Object.entries(s.failover);
  if (fo.length > 0) out.push('', textTable(['TIME TO FAILOVER', 'PULLS', 'P50', 'P90', 'P99', 'MAX'], fo.map(([k, l]) => [k, ...pct(l)])));
  if (s.faults.length > 0) {
    out.push('', textTable(['FAULT', 'ON', 'ACTIVE'], s.faults.map((f) => [f.kind + (f.path ? ` ${f.path}` : ''), f.registry, `${sec(f.fromMs)} – ${sec(f.toMs)}`])));
  }
  return out.join('\n');
}
