/**
 * `pullpath probe` as text: the endpoint table (state, per-step latency, reason), the skipped
 * endpoints, and one line per health change in watch mode. Pure: snapshots in, strings out.
 */
import type { HealthChange, ProbeSnapshot } from '../probe/probe-tracker.ts';
import { fmtCounts, fmtMs, textTable } from './text-table.ts';

function stepCell(e: ProbeSnapshot['endpoints'][number], step: string): string {
  const s = e.last?.steps.find((x) => x.step === step);
  if (!s) return '-';
  const status = s.httpStatus ? ` ${s.httpStatus}` : '';
  return s.ok ? `ok${status} ${fmtMs(s.durationMs)}` : `${s.errorClass ?? 'fail'}${status}`;
}

export function formatProbeTable(snap: ProbeSnapshot, opts: { watch: boolean }): string {
  const rows = snap.endpoints.map((e) => {
    const row = [e.endpoint, e.role + (e.insecure ? ' (insecure)' : ''), e.state.toUpperCase(), stepCell(e, 'ping'), stepCell(e, 'manifest'), stepCell(e, 'blob')];
    if (opts.watch) {
      const l = e.probeLatency; // whole probes that passed, over the run (HDR histogram)
      row.push(l.count > 0 ? `${fmtMs(l.p50Ms)} / ${fmtMs(l.p99Ms)}` : '-', `${e.failures}/${e.probes}`, fmtCounts(e.errors));
    }
    row.push(e.reason);
    return row;
  });
  const header = ['ENDPOINT', 'ROLE', 'STATE', 'PING', 'MANIFEST', 'BLOB'];
  if (opts.watch) header.push('P50/P99', 'FAILED', 'ERRORS');
  header.push('WHY');
  const lines = [textTable(header, rows)];
  for (const s of snap.skipped) lines.push(`skipped  ${s.location}: ${s.reason}`);
  const c = snap.counts;
  lines.push(`${snap.endpoints.length} endpoint(s): ${c.up} up, ${c.degraded} degraded, ${c.down} down${c.unknown ? `, ${c.unknown} not probed` : ''}${opts.watch ? ` (pass ${snap.round})` : ''}`);
  return lines.join('\n');
}

export function formatHealthChange(c: HealthChange): string {
  return `${(c.atMs / 1000).toFixed(1).padStart(7)} s  ${c.endpoint}: ${c.from} → ${c.to} (${c.reason})`;
}
