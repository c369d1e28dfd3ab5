/**
 * A short load run through the real resolver, engine and client against C's mocks with a fault
 * timeline: the counts add up exactly and the failing window matches the timeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { compileConfig } from '../../src/resolve/compile.ts';
import { resolveArg } from '../../src/resolve/resolve.ts';
import { createRegistryClient, type RegistryClient } from '../../src/registry/client.ts';
import { createDispatcherFactory } from '../../src/registry/dispatcher-factory.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import type { MockRegistrySpec } from '../../src/mock/spec.ts';
import { runLoad } from '../../src/load/run-load.ts';
import { faultKindFromWindows, faultWindows } from '../../src/load/fault-windows.ts';
import { expectedDigest } from '../../src/load/expected-digests.ts';
import type { LoadSummary } from '../../src/load/load-summary.ts';

const app = { repository: 'acme/app', tags: ['1.4'] };
const SPECS: MockRegistrySpec[] = [
  // Mirror 1 refuses connections from t = 1 s to t = 2 s; mirror 2 answers 503 in the same window.
  { host: 'm1.example.com', images: [app], faults: [{ kind: 'refuse', from: 1, to: 2 }] },
  { host: 'm2.example.com', images: [app], faults: [{ kind: 'status', status: 503, from: 1, to: 2, route: 'manifest' }] },
  { host: 'quay.io', images: [app] },
];
const CONF = `
[[registry]]
location = "quay.io/acme"
insecure = true
[[registry.mirror]]
location = "m1.example.com/acme"
insecure = true
[[registry.mirror]]
location = "m2.example.com/acme"
insecure = true
`;

let mocks: MockRegistrySet;
let client: RegistryClient;
let summary: LoadSummary;
let snapshots = 0;

beforeAll(async () => {
  mocks = await startMockRegistries(SPECS);
  const hostMap = HostMap.parse(Object.entries(mocks.hostMap).map(([h, a]) => `${h}:${a}`));
  const dispatchers = createDispatcherFactory({ hostMap, connectionsPerOrigin: 8 });
  client = createRegistryClient({ hostMap, dispatchers });
  const conf = loadRegistriesConfFromTexts({ main: { path: 'load.conf', text: CONF }, mainPath: 'load.conf', dropins: [] });
  const r = resolveArg(compileConfig(conf), 'quay.io/acme/app:1.4');
  const faults = faultWindows(SPECS, mocks.clock.nowMs());
  summary = await runLoad({
    target: { resolutions: [r], expectedDigests: [expectedDigest(r, SPECS)] },
    pull: { client, attemptTimeoutMs: 2000 },
    mode: { kind: 'closed', concurrency: 4 },
    durationMs: 3000,
    maxRequests: null,
    faults,
    faultKindOf: faultKindFromWindows(faults),
    onSnapshot: () => snapshots++,
    snapshotEveryMs: 500,
  });
  await dispatchers.close();
}, 20_000);
afterAll(async () => {
  await client?.close();
  await mocks?.close();
});

describe('load run against mocks with a fault timeline', () => {
  it('adds up: requests = successes + failures by class, nothing left in flight', () => {
    const failed = Object.values(summary.failures).reduce((a, b) => a + b, 0);
    expect(summary.requests).toBeGreaterThan(20);
    expect(summary.successes + failed).toBe(summary.requests);
    expect(summary.inFlight).toBe(0);
    const perSecond = summary.perSecond.reduce((a, b) => a + b.ok + b.failed, 0);
    expect(perSecond).toBe(summary.requests);
    // Every pull ends at a source that answers (quay.io stays up): no failure at all.
    expect(summary.successes).toBe(summary.requests);
    expect(summary.digestMismatches).toBe(0);
    expect(snapshots).toBeGreaterThanOrEqual(4);
  });

  it('sees mirror 1 failing only inside its refuse window (within 250 ms)', () => {
    const m1 = summary.perEndpoint.find((e) => e.endpoint === 'm1.example.com/acme')!;
    const w = summary.faults.find((f) => f.registry === 'm1.example.com')!;
    // Closing the listener resets a keep-alive connection or two in flight; every later try is refused.
    expect(Object.keys(m1.errors).every((k) => k === 'refused' || k === 'reset')).toBe(true);
    expect(m1.errors.refused!).toBeGreaterThan(m1.failed * 0.9);
    expect(m1.failingFromMs!).toBeGreaterThanOrEqual(w.fromMs - 5);
    expect(m1.failingFromMs! - w.fromMs).toBeLessThan(250);
    expect(m1.failingToMs!).toBeLessThan(w.toMs! + 250);
    expect(w.toMs! - m1.failingToMs!).toBeLessThan(250);
  });

  it('splits winners and failover by fault kind', () => {
    // m2 can win only where the two windows' edges do not line up (the refuse window closes and reopens
    // the listener on timers, which fire late on a busy machine; the 503 window is exact).
    expect(summary.winners['m1.example.com/acme']!).toBeGreaterThan(summary.successes / 2);
    expect(summary.winners['quay.io/acme']!).toBeGreaterThan(10);
    expect(summary.winners['m2.example.com/acme'] ?? 0).toBeLessThan(summary.successes * 0.1);
    expect(summary.failover['refuse+status 503']!.count).toBeGreaterThan(10);
    // A refused connection and a 503 cost milliseconds, not a timeout.
    expect(summary.failover['refuse+status 503']!.p50Ms).toBeLessThan(500); // the attempt timeout is 2000 ms
    const m2 = summary.perEndpoint.find((e) => e.endpoint === 'm2.example.com/acme')!;
    expect(m2.errors['server-error']!).toBeGreaterThan(m2.failed * 0.9);
    expect(m2.ok).toBeLessThan(m2.attempts * 0.25); // tried while m1 was down, when it mostly answered 503
  });
});
