/**
 * Probe results as Prometheus metrics (prom-client), named by the Prometheus conventions:
 * a `pullpath_probe_` namespace, base units (seconds), `_total` on counters, and the health state
 * as an enum gauge (one series per state, 1 for the current one, as kube-state-metrics does).
 *
 *   pullpath_probe_up{endpoint,role}                          1 when the latest probe passed every step
 *   pullpath_probe_health_state{endpoint,role,state}          1 for the current state (up|degraded|down|unknown)
 *   pullpath_probe_duration_seconds{endpoint,step}            histogram per step (ping, manifest, blob)
 *   pullpath_probe_probes_total{endpoint}                     probes run
 *   pullpath_probe_errors_total{endpoint,step,class}          failed probes by failing step and error class
 *   pullpath_probe_last_change_timestamp_seconds{endpoint}    Unix time of the last health change
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HealthChange } from '../probe/probe-tracker.ts';
import type { HealthState, ProbeEndpoint, ProbeOutcome } from '../probe/probe-types.ts';
import type { ProbeMetrics } from '../probe/probe-metrics.ts';

export type { ProbeMetrics };

const STATES: HealthState[] = ['unknown', 'up', 'degraded', 'down'];
/** Buckets from 1 ms to 30 s: loopback answers in ~1 ms, a blackholed endpoint costs the timeout. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createProbeMetrics(endpoints: ProbeEndpoint[], now: () => number = Date.now): ProbeMetrics {
  const registry = new Registry();
  const registers = [registry];
  const up = new Gauge({ name: 'pullpath_probe_up', help: 'Whether the latest probe of the endpoint passed every step (1) or not (0).', labelNames: ['endpoint', 'role'], registers });
  const state = new Gauge({ name: 'pullpath_probe_health_state', help: 'Rolling health of the endpoint: 1 for the current state, 0 for the others.', labelNames: ['endpoint', 'role', 'state'], registers });
  const duration = new Histogram({ name: 'pullpath_probe_duration_seconds', help: 'Duration of each probe step (ping, manifest, blob).', labelNames: ['endpoint', 'step'], buckets: BUCKETS, registers });
  const probes = new Counter({ name: 'pullpath_probe_probes_total', help: 'Probes run against the endpoint.', labelNames: ['endpoint'], registers });
  const errors = new Counter({ name: 'pullpath_probe_errors_total', help: 'Failed probes by the failing step and its error class.', labelNames: ['endpoint', 'step', 'class'], registers });
  const lastChange = new Gauge({ name: 'pullpath_probe_last_change_timestamp_seconds', help: 'Unix time when the endpoint health last changed.', labelNames: ['endpoint'], registers });

  const roles = new Map(endpoints.map((e) => [e.location, e.role]));
  for (const e of endpoints) {
    for (const s of STATES) state.set({ endpoint: e.location, role: e.role, state: s }, s === 'unknown' ? 1 : 0);
    probes.inc({ endpoint: e.location }, 0);
  }

  return {
    registry,
    contentType: registry.contentType,
    observe(o, change, healthNow) {
      const role = roles.get(o.endpoint) ?? 'primary';
      probes.inc({ endpoint: o.endpoint });
      up.set({ endpoint: o.endpoint, role }, o.ok ? 1 : 0);
      for (const s of o.steps) duration.observe({ endpoint: o.endpoint, step: s.step }, s.durationMs / 1000);
      const failed = o.steps.find((s) => !s.ok);
      if (failed) errors.inc({ endpoint: o.endpoint, step: failed.step, class: failed.errorClass ?? 'other' });
      for (const s of STATES) state.set({ endpoint: o.endpoint, role, state: s }, s === healthNow ? 1 : 0);
      if (change) lastChange.set({ endpoint: o.endpoint }, Math.round(now()) / 1000);
    },
    text: () => registry.metrics(),
  };
}
