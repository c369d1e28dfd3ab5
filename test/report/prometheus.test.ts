import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { createProbeMetrics } from '../../src/report/prometheus.ts';
import { createVerifyMetrics } from '../../src/report/verify-metrics.ts';
import { ProbeTracker } from '../../src/probe/probe-tracker.ts';
import { startMetricsServer, type MetricsServer } from '../../src/probe/metrics-server.ts';
import type { ProbeEndpoint, ProbeOutcome } from '../../src/probe/probe-types.ts';
import { parsePromText, value } from '../probe/prom-text.ts';

const ep = (location: string, role: ProbeEndpoint['role']): ProbeEndpoint => ({
  location, host: location.split('/')[0]!, insecure: false, role, prefixes: ['quay.io'], pullFromMirror: '', origin: null, canary: null,
});
const endpoints = [ep('mirror.example.com/quay', 'mirror'), ep('quay.io', 'primary')];
const ok = (endpoint: string, atMs: number): ProbeOutcome => ({
  endpoint, atMs, ok: true,
  steps: [
    { step: 'ping', ok: true, durationMs: 2, httpStatus: 200, errorClass: null, error: null },
    { step: 'manifest', ok: true, durationMs: 3, httpStatus: 200, errorClass: null, error: null },
  ],
});
const refused = (endpoint: string, atMs: number): ProbeOutcome => ({
  endpoint, atMs, ok: false, steps: [{ step: 'ping', ok: false, durationMs: 1, httpStatus: null, errorClass: 'refused', error: 'connection refused' }],
});

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('probe metrics', () => {
  it('serves /metrics on loopback with conventional names, labels and values', async () => {
    const tracker = new ProbeTracker(endpoints);
    const metrics = createProbeMetrics(endpoints, { now: () => 1_700_000_000_000 });
    for (const o of [ok('mirror.example.com/quay', 0), refused('quay.io', 1), ok('mirror.example.com/quay', 10), refused('quay.io', 11)]) {
      const change = tracker.record(o);
      const now = tracker.snapshot().endpoints.find((e) => e.endpoint === o.endpoint)!.state;
      metrics.observe(o, change, now);
    }
    server = await startMetricsServer(metrics, 0);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const res = await request(server.url);
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/plain; version=0\.0\.4/);
    const { samples, types } = parsePromText(await res.body.text());

    expect(types.get('pullpath_probe_up')).toBe('gauge');
    expect(types.get('pullpath_probe_duration_seconds')).toBe('histogram');
    expect(types.get('pullpath_probe_errors_total')).toBe('counter');
    expect(value(samples, 'pullpath_probe_up', { endpoint: 'mirror.example.com/quay', role: 'mirror' })).toBe(1);
    expect(value(samples, 'pullpath_probe_up', { endpoint: 'quay.io', role: 'primary' })).toBe(0);
    expect(value(samples, 'pullpath_probe_health_state', { endpoint: 'quay.io', state: 'down' })).toBe(1);
    expect(value(samples, 'pullpath_probe_health_state', { endpoint: 'quay.io', state: 'up' })).toBe(0);
    expect(value(samples, 'pullpath_probe_health_state', { endpoint: 'mirror.example.com/quay', state: 'up' })).toBe(1);
    expect(value(samples, 'pullpath_probe_probes_total', { endpoint: 'quay.io' })).toBe(2);
    expect(value(samples, 'pullpath_probe_errors_total', { endpoint: 'quay.io', step: 'ping', class: 'refused' })).toBe(2);
    expect(value(samples, 'pullpath_probe_duration_seconds_count', { endpoint: 'mirror.example.com/quay', step: 'manifest' })).toBe(2);
    expect(value(samples, 'pullpath_probe_duration_seconds_sum', { endpoint: 'mirror.example.com/quay', step: 'manifest' })).toBeCloseTo(0.006, 6);
    expect(value(samples, 'pullpath_probe_duration_seconds_bucket', { endpoint: 'mirror.example.com/quay', step: 'manifest', le: '0.0025' })).toBe(0);
    expect(value(samples, 'pullpath_probe_duration_seconds_bucket', { endpoint: 'mirror.example.com/quay', step: 'manifest', le: '0.005' })).toBe(2);
    expect(value(samples, 'pullpath_probe_last_change_timestamp_seconds', { endpoint: 'quay.io' })).toBe(1_700_000_000);

    const missing = await request(server.url.replace('/metrics', '/other'));
    expect(missing.statusCode).toBe(404);
    await missing.body.dump();
  });

  it('labels every series with the node, and never with an image', async () => {
    const metrics = createProbeMetrics(endpoints, { node: 'worker-1' });
    metrics.observe(ok('mirror.example.com/quay', 0), null, 'up');
    metrics.observe(refused('quay.io', 1), null, 'down');
    metrics.observeCertificate('mirror.example.com', 1_800_000_000);
    const { samples, types } = parsePromText(await metrics.text());
    expect(samples.length).toBeGreaterThan(20);
    for (const s of samples) expect(s.labels.node, `${s.name} ${JSON.stringify(s.labels)}`).toBe('worker-1');
    const labelNames = new Set(samples.flatMap((s) => Object.keys(s.labels)));
    expect([...labelNames].sort()).toEqual(['class', 'endpoint', 'le', 'node', 'prefix', 'role', 'state', 'step']);
    // Prometheus naming: a namespace, snake case, _total only on counters, base units.
    for (const [name, type] of types) {
      expect(name).toMatch(/^pullpath_[a-z0-9_]+$/);
      if (type === 'counter') expect(name).toMatch(/_total$/);
      else expect(name).not.toMatch(/_total$/);
    }
    expect(types.get('pullpath_probe_success')).toBe('gauge');
    expect(value(samples, 'pullpath_probe_success', { endpoint: 'mirror.example.com/quay', role: 'mirror' })).toBe(1);
    expect(value(samples, 'pullpath_probe_success', { endpoint: 'quay.io', role: 'primary' })).toBe(0);
    expect(value(samples, 'pullpath_probe_http_status_code', { endpoint: 'mirror.example.com/quay' })).toBe(200);
    expect(value(samples, 'pullpath_probe_http_status_code', { endpoint: 'quay.io' })).toBe(0);
    expect(value(samples, 'pullpath_probe_ssl_earliest_cert_expiry', { endpoint: 'mirror.example.com/quay' })).toBe(1_800_000_000);
    expect(value(samples, 'pullpath_probe_ssl_earliest_cert_expiry', { endpoint: 'quay.io' })).toBeUndefined();
  });

  it('per prefix: reachable while any endpoint passes, failover when only a later one does', async () => {
    const prefixes = [{ prefix: 'quay.io', endpoints: ['mirror.example.com/quay', 'quay.io'] }];
    const metrics = createProbeMetrics(endpoints, { prefixes });
    const prefixValue = async (name: string) => value(parsePromText(await metrics.text()).samples, name, { prefix: 'quay.io' });
    metrics.observe(refused('mirror.example.com/quay', 0), null, 'down');
    expect(await prefixValue('pullpath_prefix_reachable')).toBeUndefined(); // half the prefix probed: nothing said yet
    metrics.observe(ok('quay.io', 1), null, 'up');
    expect(await prefixValue('pullpath_prefix_reachable')).toBe(1);
    expect(await prefixValue('pullpath_prefix_failover')).toBe(1);
    metrics.observe(ok('mirror.example.com/quay', 2), null, 'up');
    expect(await prefixValue('pullpath_prefix_failover')).toBe(0);
    metrics.observe(refused('mirror.example.com/quay', 3), null, 'down');
    metrics.observe(refused('quay.io', 4), null, 'down');
    expect(await prefixValue('pullpath_prefix_reachable')).toBe(0);
    expect(await prefixValue('pullpath_prefix_failover')).toBe(0);
  });

  it('serves /healthz and /readyz from the checks given, 200 or 503 with the reason', async () => {
    let live = true;
    let ready = false;
    server = await startMetricsServer(createProbeMetrics(endpoints), 0, '127.0.0.1', {
      live: () => ({ ok: live, reason: live ? 'passing' : 'stuck' }),
      ready: () => ({ ok: ready, reason: ready ? 'done' : 'first pass not done' }),
    });
    const get = async (path: string) => {
      const res = await request(server!.url.replace('/metrics', path));
      return { status: res.statusCode, text: await res.body.text() };
    };
    expect(await get('/healthz')).toEqual({ status: 200, text: 'ok: passing\n' });
    expect(await get('/readyz')).toEqual({ status: 503, text: 'not ok: first pass not done\n' });
    ready = true;
    live = false;
    expect(await get('/readyz')).toEqual({ status: 200, text: 'ok: done\n' });
    expect(await get('/healthz')).toEqual({ status: 503, text: 'not ok: stuck\n' });
  });

  it('probe --help names exactly the metrics the registry exports', async () => {
    const { help } = await import('../../cli/commands/probe.ts');
    const metrics = createProbeMetrics(endpoints);
    createVerifyMetrics(metrics.registry);
    const exported = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name).sort();
    const named = [...new Set([...help.matchAll(/\bpullpath_[a-z_]+[a-z]/g)].map((m) => m[0]))].sort();
    expect(named).toEqual(exported);
  });

  it('says which port is taken instead of crashing', async () => {
    const metrics = createProbeMetrics(endpoints);
    server = await startMetricsServer(metrics, 0);
    await expect(startMetricsServer(metrics, server.port)).rejects.toThrow(/cannot serve metrics on 127\.0\.0\.1:\d+: EADDRINUSE/);
  });
});
