/**
 * probe against mirrors whose manifest GET fails where a HEAD would pass, a 429, and a lying
 * Docker-Content-Digest: the manifest step does what the runtime does (GET, 4 MiB cap) and says why it failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { createRegistryClient, type RegistryClient } from '../../src/registry/client.ts';
import { HostMap } from '../../src/registry/host-map.ts';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import { planProbe } from '../../src/probe/endpoints.ts';
import { runProbe } from '../../src/probe/run-probe.ts';
import type { ProbeOutcome } from '../../src/probe/probe-types.ts';

const app = { repository: 'org/app', content: 'app', tags: ['1.0'] };
const MIRRORS = ['good', 'reset', 'stall', 'limited', 'liar'];
const CONF = `
[[registry]]
prefix = "quay.io/org"
location = "quay.io/org"
insecure = true
${MIRRORS.map((m) => `[[registry.mirror]]\nlocation = "${m}.example.com/org"\ninsecure = true\n`).join('')}`;

let mocks: MockRegistrySet;
let client: RegistryClient;
const outcomes = new Map<string, ProbeOutcome>();
const TIMEOUT_MS = 2000;

async function probe(checkBlob: boolean): Promise<void> {
  const config = loadRegistriesConfFromTexts({ main: { path: 'probe.conf', text: CONF }, mainPath: 'probe.conf', dropins: [] });
  // A tag canary: nothing but the header and the bytes tell a lying digest.
  const plan = planProbe({ config, canaries: [{ prefix: 'quay.io/org', ref: 'quay.io/org/app:1.0' }] });
  for await (const ev of runProbe({ plan, client, timeoutMs: TIMEOUT_MS, checkBlob, concurrency: 8, watch: false, intervalMs: 0 })) {
    if (ev.type === 'probe') outcomes.set(`${checkBlob ? 'blob' : 'plain'} ${ev.outcome.endpoint}`, ev.outcome);
  }
}

beforeAll(async () => {
  const GET = { route: 'manifest' as const, method: 'GET' };
  mocks = await startMockRegistries([
    { host: 'quay.io', images: [app] },
    { host: 'good.example.com', images: [app] },
    { host: 'reset.example.com', images: [app], faults: [{ kind: 'reset', ...GET }] },
    { host: 'stall.example.com', images: [app], faults: [{ kind: 'blackhole', ...GET }] },
    // Retry-After beyond the probe's deadline: the runtime's retry would wait; the probe reports rate-limited.
    { host: 'limited.example.com', images: [app], faults: [{ kind: 'status', status: 429, retryAfter: 30, route: 'manifest' }] },
    { host: 'liar.example.com', images: [app], faults: [{ kind: 'wrong-digest', ...GET }] },
  ]);
  client = createRegistryClient({ hostMap: HostMap.parse(Object.entries(mocks.hostMap).map(([h, a]) => `${h}:${a}`)) });
  await probe(false);
  await probe(true);
}, 30_000);
afterAll(async () => {
  await client?.close();
  await mocks?.close();
});

const failed = (key: string) => {
  const o = outcomes.get(key)!;
  const s = o.steps.find((x) => !x.ok);
  return s ? { ok: o.ok, step: s.step, errorClass: s.errorClass, error: s.error } : { ok: o.ok };
};

describe('probe: the manifest step is the runtime GET', () => {
  it('passes a healthy mirror', () => {
    expect(failed('plain good.example.com/org')).toEqual({ ok: true });
    expect(failed('blob good.example.com/org')).toEqual({ ok: true });
  });

  it.each(['plain', 'blob'])('%s: fails a mirror whose manifest GET is reset (a HEAD passes there)', (mode) => {
    expect(failed(`${mode} reset.example.com/org`)).toMatchObject({ ok: false, step: 'manifest', errorClass: 'reset' });
  });

  it('fails a mirror whose manifest GET stalls, at the probe deadline', () => {
    expect(failed('plain stall.example.com/org')).toMatchObject({ ok: false, step: 'manifest', errorClass: 'timeout' });
  });

  it('reports a 429 as rate-limited, not as a timeout', () => {
    const o = outcomes.get('plain limited.example.com/org')!;
    expect(failed('plain limited.example.com/org')).toMatchObject({ ok: false, step: 'manifest', errorClass: 'rate-limited' });
    expect(o.steps.find((s) => s.step === 'manifest')!.durationMs).toBeLessThan(TIMEOUT_MS);
  });

  it.each(['plain', 'blob'])('%s: fails a mirror whose Docker-Content-Digest does not match the bytes it serves', (mode) => {
    const f = failed(`${mode} liar.example.com/org`);
    expect(f).toMatchObject({ ok: false, step: 'manifest', errorClass: 'digest-mismatch' });
    expect(f.error).toMatch(/Docker-Content-Digest sha256:[0-9a-f]{64} does not match the manifest received \(sha256:[0-9a-f]{64}\)/);
  });
});
