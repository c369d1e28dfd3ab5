/**
 * `pullpath probe --output json` (schemas/probe.schema.json): per pass, one `probe` record per endpoint,
 * in the order the configuration lists them (runProbe yields a pass's outcomes in plan order), each
 * followed by its `change` record when the health changed, then one `pass` record. An endpoint is named by `location`,
 * as in every other command's output.
 */
import type { ProbeRunEvent } from '../probe/run-probe.ts';
import type { ProbeSnapshot } from '../probe/probe-tracker.ts';

type ProbeEvent = Extract<ProbeRunEvent, { type: 'probe' }>;

/** The probe record and, when the health changed, the change record (JSON Lines text). */
export function probeRecordsJson(ev: ProbeEvent): string {
  const o = ev.outcome;
  let text = JSON.stringify({ type: 'probe', location: o.endpoint, atMs: Math.round(o.atMs), ok: o.ok, state: ev.state, reason: ev.reason, steps: o.steps }) + '\n';
  if (ev.change) {
    const { endpoint, from, to, reason, atMs } = ev.change;
    text += JSON.stringify({ type: 'change', location: endpoint, from, to, reason, atMs: Math.round(atMs) }) + '\n';
  }
  return text;
}

export function passRecordJson(s: ProbeSnapshot): string {
  return JSON.stringify({ type: 'pass', round: s.round, counts: s.counts, skipped: s.skipped }) + '\n';
}
