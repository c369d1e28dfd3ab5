/**
 * A watching probe computes pass snapshots (HDR percentiles of every endpoint) only when a consumer reads
 * them: once per probe, as before, it was most of a DaemonSet probe's CPU (bench/fleet-profile.ts).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { createRegistryClient, type RegistryClient } from '../../src/registry/client.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import { planProbe } from '../../src/probe/endpoints.ts';
import { runProbe, type ProbeRunEvent } from '../../src/probe/run-probe.ts';
import { ProbeTracker } from '../../src/probe/probe-tracker.ts';

const CONF = `
[[registry]]
prefix = "quay.io/org"
location = "quay.io/org"
insecure = true
[[registry.mirror]]
location = "a.example.com/org"
insecure = true
[[registry.mirror]]
location = "b.example.com/org"
insecure = true
`;
let mocks: MockRegistrySet;
let client: RegistryClient;
beforeAll(async () => {
  mocks = await startMockRegistries([{ host: 'quay.io' }, { host: 'a.example.com' }, { host: 'b.example.com', down: true }]);
  client = createRegistryClient({ hostMap: HostMap.parse(Object.entries(mocks.hostMap).map(([h, a]) => `${h}:${a}`)) });
});
afterAll(async () => {
  await client?.close();
  await mocks?.close();
});

const plan = () => planProbe({ config: loadRegistriesConfFromTexts({ main: { path: 'p.conf', text: CONF }, mainPath: 'p.conf', dropins: [] }) });

describe('probe pass snapshots', () => {
  it('are not computed when nobody reads them; probe events still carry each endpoint health', async () => {
    const spy = vi.spyOn(ProbeTracker.prototype, 'snapshot');
    try {
      const states: string[] = [];
      for await (const ev of runProbe({ plan: plan(), client, timeoutMs: 3000, checkBlob: false, concurrency: 4, watch: true, intervalMs: 10, maxRounds: 3 })) {
        if (ev.type === 'probe') states.push(`${ev.outcome.endpoint} ${ev.state}`);
      }
      expect(states).toHaveLength(9);
      expect(states.slice(-3).sort()).toEqual(['a.example.com/org up', 'b.example.com/org down', 'quay.io/org up']);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('give the state at the end of their pass when read in time, and refuse a read after the next pass recorded', async () => {
    const rounds: ProbeRunEvent[] = [];
    for await (const ev of runProbe({ plan: plan(), client, timeoutMs: 3000, checkBlob: false, concurrency: 4, watch: true, intervalMs: 10, maxRounds: 2 })) {
      if (ev.type !== 'round') continue;
      if (rounds.length === 0) expect(ev.snapshot.round).toBe(1); // read in time
      rounds.push(ev);
    }
    expect(rounds[0]!.type === 'round' && rounds[0]!.snapshot.round).toBe(1); // computed then, kept
    expect(rounds[1]!.type === 'round' && rounds[1]!.snapshot.endpoints.find((e) => e.endpoint === 'quay.io/org')!.probes).toBe(2); // the last: nothing recorded after it
    const late: ProbeRunEvent[] = [];
    for await (const ev of runProbe({ plan: plan(), client, timeoutMs: 3000, checkBlob: false, concurrency: 4, watch: true, intervalMs: 10, maxRounds: 2 })) if (ev.type === 'round') late.push(ev);
    expect(() => late[0]!.type === 'round' && late[0]!.snapshot).toThrow(/read after the next pass recorded/);
  });
});
