/**
 * probe through the real client against C's mock registries: one endpoint per health state, canaries
 * resolved per endpoint, digests verified, the blob step, and blocked endpoints never contacted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { createRegistryClient, type RegistryClient } from '../../src/registry/client.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import { mockImageDigest } from '../../src/mock/image-builder.ts';
import { planProbe } from '../../src/probe/endpoints.ts';
import { runProbe, type ProbeRunEvent } from '../../src/probe/run-probe.ts';
import type { ProbeSnapshot } from '../../src/probe/probe-tracker.ts';

const app = { repository: 'org/app', content: 'app', tags: ['1.0'] };
const D = mockImageDigest(app);
const CONF = `
[[registry]]
prefix = "quay.io/org"
location = "quay.io/org"
insecure = true
[[registry.mirror]]
location = "good.example.com/org"
insecure = true
[[registry.mirror]]
location = "empty.example.com/org"
insecure = true
[[registry.mirror]]
location = "down.example.com/org"
insecure = true
[[registry.mirror]]
location = "portal.example.com/org"
insecure = true
[[registry.mirror]]
location = "slow.example.com/org"
insecure = true
[[registry.mirror]]
location = "stale.example.com/org"
insecure = true

[[registry]]
prefix = "quay.io/secret"
location = "quay.io/secret"
blocked = true
`;

let mocks: MockRegistrySet;
let client: RegistryClient;
let events: ProbeRunEvent[];
let last: ProbeSnapshot;

beforeAll(async () => {
  mocks = await startMockRegistries([
    { host: 'quay.io', images: [app] },
    { host: 'good.example.com', images: [app] },
    { host: 'empty.example.com' },
    { host: 'down.example.com', down: true },
    { host: 'portal.example.com', images: [app], faults: [{ kind: 'html', route: 'ping' }] },
    { host: 'slow.example.com', images: [app], faults: [{ kind: 'latency', ms: 600, route: 'manifest' }] },
    { host: 'stale.example.com', images: [app], faults: [{ kind: 'wrong-digest', route: 'manifest', method: 'GET' }] },
  ]);
  client = createRegistryClient({ hostMap: HostMap.parse(Object.entries(mocks.hostMap).map(([h, a]) => `${h}:${a}`)) });
  const config = loadRegistriesConfFromTexts({ main: { path: 'probe.conf', text: CONF }, mainPath: 'probe.conf', dropins: [] });
  const plan = planProbe({ config, canaries: [{ prefix: 'quay.io/org', ref: `quay.io/org/app@${D}` }] });
  events = [];
  for await (const ev of runProbe({ plan, client, timeoutMs: 3000, checkBlob: true, concurrency: 4, watch: true, intervalMs: 10, maxRounds: 2, health: { window: 5, slowMs: 500 } })) {
    events.push(ev);
    if (ev.type === 'round') last = ev.snapshot;
  }
});
afterAll(async () => {
  await client?.close();
  await mocks?.close();
});

const ep = (location: string) => last.endpoints.find((e) => e.endpoint === location)!;

describe('probe against mock registries', () => {
  it('enumerates every location and mirror, skipping blocked ones, with canaries resolved per endpoint', () => {
    expect(last.endpoints.map((e) => e.endpoint).sort()).toEqual(
      ['down.example.com/org', 'empty.example.com/org', 'good.example.com/org', 'portal.example.com/org', 'quay.io/org', 'slow.example.com/org', 'stale.example.com/org'],
    );
    expect(last.skipped.map((s) => s.location)).toEqual(['quay.io/secret']);
    expect(ep('good.example.com/org').canary).toBe(`good.example.com/org/app@${D}`);
    expect(last.round).toBe(2);
  });

  it('marks an endpoint that passes every step up, blob included', () => {
    const e = ep('good.example.com/org');
    expect(e.state).toBe('up');
    expect(e.last!.steps.map((s) => [s.step, s.ok])).toEqual([['ping', true], ['manifest', true], ['blob', true]]);
    expect(e.last!.steps[1]!.digest).toBe(D);
    expect(e.probes).toBe(2);
  });

  it.each([
    ['empty.example.com/org', 'degraded', 'manifest', 'not-found'],
    ['stale.example.com/org', 'degraded', 'manifest', 'digest-mismatch'],
    ['down.example.com/org', 'down', 'ping', 'refused'],
    ['portal.example.com/org', 'down', 'ping', 'not-a-registry'],
  ] as const)('%s is %s (%s: %s)', (location, state, step, cls) => {
    const e = ep(location);
    expect(e.state).toBe(state);
    const failed = e.last!.steps.find((s) => !s.ok)!;
    expect([failed.step, failed.errorClass]).toEqual([step, cls]);
    expect(e.errors[cls]).toBe(2);
  });

  it('marks a slow endpoint degraded with the reason', () => {
    const e = ep('slow.example.com/org');
    expect(e.state).toBe('degraded');
    expect(e.reason).toMatch(/^slow: p90 \d+ ms over 500 ms$/);
  });

  it('reports health changes once, on the first pass', () => {
    const changes = events.filter((e) => e.type === 'probe' && e.change !== null);
    expect(changes).toHaveLength(7);
    expect(events.filter((e) => e.type === 'probe')).toHaveLength(14);
  });
});

describe('probe cut short by Ctrl-C', () => {
  it('leaves the health of an endpoint whose probe was stopped as it was (not down)', async () => {
    const config = loadRegistriesConfFromTexts({ main: { path: 'probe.conf', text: CONF }, mainPath: 'probe.conf', dropins: [] });
    const plan = planProbe({ config, canaries: [{ prefix: 'quay.io/org', ref: `quay.io/org/app@${D}` }] });
    const stop = new AbortController();
    const rounds: ProbeSnapshot[] = [];
    const probes: ProbeRunEvent[] = [];
    for await (const ev of runProbe({ plan, client, timeoutMs: 3000, checkBlob: false, concurrency: 8, watch: true, intervalMs: 10, maxRounds: 2, health: { window: 5, slowMs: 500 }, signal: stop.signal })) {
      if (ev.type === 'round') {
        rounds.push(ev.snapshot);
        // The second pass starts 10 ms later; the slow mirror answers after 600 ms: stop the run inside it.
        if (rounds.length === 1) setTimeout(() => stop.abort(), 250);
      } else if (ev.type === 'probe' && rounds.length === 1) probes.push(ev);
    }
    const slow = 'slow.example.com/org';
    const before = rounds[0]!.endpoints.find((e) => e.endpoint === slow)!;
    const after = rounds.at(-1)!.endpoints.find((e) => e.endpoint === slow)!;
    expect(before.state).toBe('degraded');
    expect(after.state).toBe(before.state);
    expect(probes.some((p) => p.type === 'probe' && p.outcome.endpoint === slow)).toBe(false);
  });
});
