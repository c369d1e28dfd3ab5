import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { createProbeMetrics } from '../../src/report/prometheus.ts';
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
    const metrics = createProbeMetrics(endpoints, () => 1_700_000_000_000);
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

  it('says which port is taken instead of crashing', async () => {
    const metrics = createProbeMetrics(endpoints);
    server = await startMetricsServer(metrics, 0);
    await expect(startMetricsServer(metrics, server.port)).rejects.toThrow(/cannot serve metrics on 127\.0\.0\.1:\d+: EADDRINUSE/);
  });
});
