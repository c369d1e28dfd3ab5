/**
 * A short load run against the real Debian docker-registry: a refused first mirror, the registry as the
 * second; every pull fails over, the counts add up and the content is the pushed digest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { compileConfig } from '../../src/resolve/compile.ts';
import { resolveArg } from '../../src/resolve/resolve.ts';
import { createRegistryClient, type RegistryClient } from '../../src/registry/client.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { runLoad } from '../../src/load/run-load.ts';
import type { LoadSummary } from '../../src/load/load-summary.ts';
import { dockerRegistrySkipReason, freePort, pushImage, startDockerRegistry, tinyImage, type RunningRegistry } from '../helpers/docker-registry.ts';

const skip = dockerRegistrySkipReason();
if (skip) console.warn(`[load docker-registry] skipped: ${skip}`);
const img = tinyImage('load-dr');
let reg: RunningRegistry;
let client: RegistryClient;
let s: LoadSummary;

beforeAll(async () => {
  if (skip) return;
  reg = await startDockerRegistry();
  await pushImage(reg.url, 'acme/app', 'v1', img);
  const dead = await freePort();
  client = createRegistryClient({ hostMap: HostMap.parse([`mirror.example.com:${reg.addr}`, `dead.example.com:127.0.0.1:${dead}`]) });
  const conf = loadRegistriesConfFromTexts({
    main: { path: 'l.conf', text: '[[registry]]\nlocation = "quay.io/acme"\nblocked = true\n[[registry.mirror]]\nlocation = "dead.example.com/acme"\ninsecure = true\n[[registry.mirror]]\nlocation = "mirror.example.com/acme"\ninsecure = true\n' },
    mainPath: 'l.conf',
    dropins: [],
  });
  const r = resolveArg(compileConfig(conf), 'quay.io/acme/app:v1');
  s = await runLoad({ target: { resolutions: [r], expectedDigests: [img.digest] }, pull: { client, attemptTimeoutMs: 3000 }, mode: { kind: 'open', ratePerSec: 40 }, durationMs: 1500, maxRequests: null });
}, 30_000);
afterAll(async () => {
  await client?.close();
  await reg?.stop();
});

describe.skipIf(skip !== null)('load against docker-registry', () => {
  it('fails over from the refused mirror on every pull, and the counts add up', () => {
    const failed = Object.values(s.failures).reduce((a, b) => a + b, 0);
    expect(s.requests).toBe(60); // 40/s for 1.5 s, open loop: the schedule, not the latency, sets the count
    expect(s.successes + failed).toBe(s.requests);
    expect(s.successes).toBe(60);
    expect(s.digestMismatches).toBe(0);
    expect(s.winners).toEqual({ 'mirror.example.com/acme': 60 });
    expect(s.perEndpoint.find((e) => e.endpoint === 'dead.example.com/acme')!.errors).toEqual({ refused: 60 });
    // The blocked source is never dialled: its attempt is recorded as blocked only if reached (it never is).
    expect(s.perEndpoint.find((e) => e.endpoint === 'quay.io/acme')).toBeUndefined();
    expect(s.failover.refused!.count).toBe(60);
  });
});
