/**
 * The probe loop: one pass over every endpoint (bounded concurrency), or passes every `intervalMs`
 * with `watch`, until the signal aborts or `maxRounds` passes are done. Yields one event per probe
 * and one per finished pass; never prints. Health is tracked by `ProbeTracker`.
 */
import pLimit from 'p-limit';
import { setTimeout as delay } from 'node:timers/promises';
import type { RegistryClient } from '../registry/client.ts';
import type { HealthOptions } from './health.ts';
import { probeEndpoint } from './probe-endpoint.ts';
import { ProbeTracker, type HealthChange, type ProbeSnapshot } from './probe-tracker.ts';
import type { HealthState, ProbeOutcome } from './probe-types.ts';
import type { ProbePlan } from './endpoints.ts';

export interface ProbeRunOptions {
  plan: ProbePlan;
  client: RegistryClient;
  timeoutMs: number;
  checkBlob: boolean;
  /** Endpoints probed at once. */
  concurrency: number;
  /** Keep probing every `intervalMs` (from the start of one pass to the start of the next). */
  watch: boolean;
  intervalMs: number;
  /** Stop after this many passes (watch mode; tests). */
  maxRounds?: number;
  signal?: AbortSignal;
  health?: HealthOptions;
}

export type ProbeRunEvent =
  | { type: 'probe'; outcome: ProbeOutcome; change: HealthChange | null; state: HealthState; reason: string }
  | { type: 'round'; snapshot: ProbeSnapshot };

/**
 * A pass's event whose snapshot is computed when first read, from the state at the end of that pass: a
 * consumer that only needs some passes' snapshots (a DaemonSet serving metrics reads none but the last) does
 * not pay for the percentile summaries of every pass.
 */
function roundEvent(tracker: ProbeTracker): ProbeRunEvent {
  let snap: ProbeSnapshot | null = null;
  const at = tracker.version;
  return {
    type: 'round',
    get snapshot(): ProbeSnapshot {
      if (snap) return snap;
      // Read it before asking for the next event: once the next pass records a probe, this pass's state is gone.
      if (tracker.version !== at) throw new Error('probe: a pass snapshot was read after the next pass recorded probes');
      return (snap = tracker.snapshot());
    },
  };
}

export async function* runProbe(opts: ProbeRunOptions): AsyncGenerator<ProbeRunEvent> {
  const tracker = new ProbeTracker(opts.plan.endpoints, opts.plan.skipped, opts.health);
  const t0 = performance.now();
  const now = (): number => performance.now() - t0;
  const limit = pLimit(Math.max(1, opts.concurrency));
  const maxRounds = opts.watch ? (opts.maxRounds ?? Number.POSITIVE_INFINITY) : 1;
  for (let round = 0; round < maxRounds && !opts.signal?.aborted; round++) {
    const passStart = now();
    const outcomes = await Promise.all(
      opts.plan.endpoints.map((ep) => limit(() => probeEndpoint(ep, { client: opts.client, timeoutMs: opts.timeoutMs, checkBlob: opts.checkBlob, now, ...(opts.signal ? { signal: opts.signal } : {}) }))),
    );
    for (const o of outcomes) {
      // A probe the run stopped (Ctrl-C) learned nothing about the endpoint: its health stays as it was.
      if (opts.signal?.aborted && o.steps.some((st) => st.errorClass === 'cancelled')) continue;
      const change = tracker.record(o);
      // Not snapshot(): it summarises every endpoint's HDR histograms, and once per probe that was most of
      // a watching probe's CPU (bench/fleet-profile.ts).
      const h = tracker.health(o.endpoint)!;
      yield { type: 'probe', outcome: o, change, state: h.state, reason: h.reason };
    }
    tracker.endRound();
    yield roundEvent(tracker);
    if (round + 1 >= maxRounds) break;
    const wait = opts.intervalMs - (now() - passStart);
    if (wait > 0) {
      try {
        await delay(wait, undefined, opts.signal ? { signal: opts.signal } : undefined);
      } catch {
        break; // aborted: stop quietly
      }
    }
  }
}
