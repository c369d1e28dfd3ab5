import { describe, expect, it } from 'vitest';
import { ProbeTracker } from '../../src/probe/probe-tracker.ts';
import { formatHealthChange, formatProbeTable } from '../../src/report/probe-text.ts';
import type { ProbeEndpoint } from '../../src/probe/probe-types.ts';

const ep = (location: string, role: ProbeEndpoint['role']): ProbeEndpoint => ({ location, host: location.split('/')[0]!, insecure: false, role, prefixes: ['quay.io/org'], pullFromMirror: '', origin: null, canary: null });

describe('probe text', () => {
  it('shows each endpoint with its state, steps, latency, failures and reason', () => {
    const t = new ProbeTracker([ep('m.example.com/org', 'mirror'), ep('quay.io/org', 'primary')], [{ location: 'blocked.example.com', reason: 'blocked in registries.conf', origin: null }]);
    t.record({ endpoint: 'm.example.com/org', atMs: 0, ok: true, steps: [{ step: 'ping', ok: true, durationMs: 2, httpStatus: 200, errorClass: null, error: null }, { step: 'manifest', ok: true, durationMs: 3, httpStatus: 200, errorClass: null, error: null }] });
    const change = t.record({ endpoint: 'quay.io/org', atMs: 1500, ok: false, steps: [{ step: 'ping', ok: false, durationMs: 1, httpStatus: null, errorClass: 'refused', error: 'refused' }] })!;
    t.endRound();
    const text = formatProbeTable(t.snapshot(), { watch: true });
    const lines = text.split('\n');
    // Ten columns do not fit 80: each endpoint is a record, its first cell then "header value" pairs.
    expect(lines[0]).toBe('m.example.com/org');
    expect(text).toMatch(/^m\.example\.com\/org\n {4}role mirror, state UP, ping ok 200 2\.00 ms, manifest ok 200 3\.00 ms, blob -,\n {4}p50\/p99 5\.00 ms \/ 5\.00 ms, failed 0\/1, errors -, why all steps passed$/m);
    expect(text).toMatch(/^quay\.io\/org\n {4}role primary, state DOWN, ping refused, manifest -, blob -, p50\/p99 -,\n {4}failed 1\/1, errors refused 1, why ping failed: refused$/m);
    const once = formatProbeTable(t.snapshot(), { watch: false }).split('\n');
    expect(once[0]).toMatch(/^ENDPOINT\s+ROLE\s+STATE\s+PING\s+MANIFEST\s+BLOB\s+WHY$/);
    expect(once[1]).toMatch(/^m\.example\.com\/org\s+mirror\s+UP\s+ok 200\s+ok 200\s+-\s+all steps$/);
    expect(text).toContain('skipped  blocked.example.com: blocked in registries.conf');
    expect(lines.at(-1)).toBe('2 endpoint(s): 1 up, 0 degraded, 1 down (pass 1)');
    expect(formatHealthChange(change)).toBe('    1.5 s  quay.io/org: unknown → down (ping failed: refused)');
  });
});
