/**
 * Probe results as Prometheus metrics (prom-client), named by the Prometheus conventions:
 * a `pullpath_` namespace, base units (seconds), `_total` on counters, Unix seconds for times, and the
 * health state as an enum gauge (one series per state, 1 for the current one, as kube-state-metrics does).
 * Labels are bounded by the configuration: per endpoint and per prefix, never per image. With a node
 * name (`--node-name`, `$NODE_NAME` from the downward API) every series also carries `node`.
 *
 *   pullpath_probe_success{endpoint,role}                     1 when the latest probe passed every step
 *                                                             (blackbox_exporter's probe_success)
 *   pullpath_probe_up{endpoint,role}                          the same (kept for existing dashboards)
 *   pullpath_probe_health_state{endpoint,role,state}          1 for the current state (up|degraded|down|unknown)
 *   pullpath_probe_http_status_code{endpoint}                 HTTP status of the latest probe's last step (0: none)
 *   pullpath_probe_ssl_earliest_cert_expiry{endpoint}         earliest notAfter in the served chain, Unix seconds
 *                                                             (blackbox_exporter's probe_ssl_earliest_cert_expiry)
 *   pullpath_probe_duration_seconds{endpoint,step}            histogram per step (ping, manifest, blob)
 *   pullpath_probe_probes_total{endpoint}                     probes run
 *   pullpath_probe_errors_total{endpoint,step,class}          failed probes by failing step and error class
 *   pullpath_probe_last_change_timestamp_seconds{endpoint}    Unix time of the last health change
 *   pullpath_prefix_reachable{prefix}                         1 when some endpoint of the prefix passed its latest probe
 *   pullpath_prefix_failover{prefix}                          1 when the first endpoint in pull order failed its latest
 *                                                             probe and a later one passed: pulls here fail over
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HealthChange } from '../probe/probe-tracker.ts';
import type { HealthState, ProbeEndpoint, ProbeOutcome } from '../probe/probe-types.ts';
import type { ProbeMetrics } from '../probe/probe-metrics.ts';

export type { ProbeMetrics };

const STATES: HealthState[] = ['unknown', 'up', 'degraded', 'down'];
/** Buckets from 1 ms to 30 s: loopback answers in ~1 ms, a blackholed endpoint costs the timeout. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface ProbeMetricsOptions {
  /** The node this probe runs on: a `node` label on every series (omitted when null or empty). */
  node?: string | null;
  /** Pull order per prefix (ProbePlan.prefixes): the endpoint locations a pull under the prefix tries, in order. */
  prefixes?: readonly { prefix: string; endpoints: readonly string[] }[];
  /** Wall clock, ms (tests). */
  now?: () => number;
}

export function createProbeMetrics(endpoints: ProbeEndpoint[], opts: ProbeMetricsOptions = {}): ProbeMetrics {
  const now = opts.now ?? Date.now;
  const registry = new Registry();
  if (opts.node) registry.setDefaultLabels({ node: opts.node });
  const registers = [registry];
  const success = new Gauge({ name: 'pullpath_probe_success', help: 'Whether the latest probe of the endpoint passed every step (1) or not (0), as blackbox_exporter\'s probe_success.', labelNames: ['endpoint', 'role'], registers });
  const up = new Gauge({ name: 'pullpath_probe_up', help: 'Whether the latest probe of the endpoint passed every step (1) or not (0).', labelNames: ['endpoint', 'role'], registers });
  const state = new Gauge({ name: 'pullpath_probe_health_state', help: 'Rolling health of the endpoint: 1 for the current state, 0 for the others.', labelNames: ['endpoint', 'role', 'state'], registers });
  const status = new Gauge({ name: 'pullpath_probe_http_status_code', help: 'HTTP status of the last step of the latest probe (0 when no answer).', labelNames: ['endpoint'], registers });
  const certExpiry = new Gauge({ name: 'pullpath_probe_ssl_earliest_cert_expiry', help: 'Earliest notAfter of the certificate chain the endpoint served, in Unix seconds.', labelNames: ['endpoint'], registers });
  const duration = new Histogram({ name: 'pullpath_probe_duration_seconds', help: 'Duration of each probe step (ping, manifest, blob).', labelNames: ['endpoint', 'step'], buckets: BUCKETS, registers });
  const probes = new Counter({ name: 'pullpath_probe_probes_total', help: 'Probes run against the endpoint.', labelNames: ['endpoint'], registers });
  const errors = new Counter({ name: 'pullpath_probe_errors_total', help: 'Failed probes by the failing step and its error class.', labelNames: ['endpoint', 'step', 'class'], registers });
  const lastChange = new Gauge({ name: 'pullpath_probe_last_change_timestamp_seconds', help: 'Unix time when the endpoint health last changed.', labelNames: ['endpoint'], registers });
  const reachable = new Gauge({ name: 'pullpath_prefix_reachable', help: 'Whether some endpoint serving the prefix passed its latest probe (1) or none did (0).', labelNames: ['prefix'], registers });
  const failover = new Gauge({ name: 'pullpath_prefix_failover', help: 'Whether pulls under the prefix fail over (1): the first endpoint in pull order failed its latest probe and a later one passed.', labelNames: ['prefix'], registers });

  const roles = new Map(endpoints.map((e) => [e.location, e.role]));
  const hosts = new Map<string, string[]>();
  for (const e of endpoints) hosts.set(e.host, [...(hosts.get(e.host) ?? []), e.location]);
  const order = opts.prefixes ?? endpoints.flatMap((e) => e.prefixes).filter((p, i, a) => a.indexOf(p) === i).map((prefix) => ({ prefix, endpoints: endpoints.filter((e) => e.prefixes.includes(prefix)).map((e) => e.location) }));
  const latestOk = new Map<string, boolean>();
  for (const e of endpoints) {
    for (const s of STATES) state.set({ endpoint: e.location, role: e.role, state: s }, s === 'unknown' ? 1 : 0);
    probes.inc({ endpoint: e.location }, 0);
  }

  /** Prefix gauges appear once every endpoint of the prefix has been probed: a half-probed prefix says nothing yet. */
  const updatePrefixes = (endpoint: string): void => {
    for (const p of order) {
      if (!p.endpoints.includes(endpoint)) continue;
      const results = p.endpoints.map((e) => latestOk.get(e));
      if (results.some((r) => r === undefined)) continue;
      reachable.set({ prefix: p.prefix }, results.some((r) => r) ? 1 : 0);
      failover.set({ prefix: p.prefix }, results[0] === false && results.slice(1).some((r) => r) ? 1 : 0);
    }
  };

  return {
    registry,
    contentType: registry.contentType,
    observe(o, change, healthNow) {
      const role = roles.get(o.endpoint) ?? 'primary';
      probes.inc({ endpoint: o.endpoint });
      success.set({ endpoint: o.endpoint, role }, o.ok ? 1 : 0);
      up.set({ endpoint: o.endpoint, role }, o.ok ? 1 : 0);
      status.set({ endpoint: o.endpoint }, o.steps.at(-1)?.httpStatus ?? 0);
      for (const s of o.steps) duration.observe({ endpoint: o.endpoint, step: s.step }, s.durationMs / 1000);
      const failed = o.steps.find((s) => !s.ok);
      if (failed) errors.inc({ endpoint: o.endpoint, step: failed.step, class: failed.errorClass ?? 'other' });
      for (const s of STATES) state.set({ endpoint: o.endpoint, role, state: s }, s === healthNow ? 1 : 0);
      if (change) lastChange.set({ endpoint: o.endpoint }, Math.round(now()) / 1000);
      latestOk.set(o.endpoint, o.ok);
      updatePrefixes(o.endpoint);
    },
    observeCertificate(host, notAfterSeconds) {
      // Every endpoint on that host (several paths of one registry) was served the same chain.
      for (const endpoint of hosts.get(host) ?? []) certExpiry.set({ endpoint }, notAfterSeconds);
    },
    text: () => registry.metrics(),
  };
}
