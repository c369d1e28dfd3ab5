/**
 * probe and verify tell a failed proxy apart from a failed registry: class `proxy` / reason `proxy`, with the
 * fix text about the proxy, while a registry that refuses a direct connection stays `refused` / `unreachable`.
 * No proxy server needed: the proxy port is closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hermeticEnv, runCli } from '../helpers/run-cli.ts';
import { freePort } from '../helpers/docker-registry.ts';

let work: string;
let conf: string;
let proxyPort: number;
let deadPort: number;
const secret = 'never-print-me-42';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pp-proxy-cli-'));
  [proxyPort, deadPort] = [await freePort(), await freePort()];
  conf = join(work, 'registries.conf');
  // mirror.example.com goes through the (closed) proxy; the loopback mirror is dialled directly (and refuses).
  await writeFile(conf, `[[registry]]\nprefix = "source.example.com/org"\nlocation = "source.example.com/org"\nblocked = true\n[[registry.mirror]]\nlocation = "mirror.example.com/org"\n[[registry.mirror]]\nlocation = "127.0.0.1:${deadPort}/org"\n`);
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const env = () => ({ ...hermeticEnv(work), HTTPS_PROXY: `http://u:${secret}@127.0.0.1:${proxyPort}`, https_proxy: '', NO_PROXY: '', no_proxy: '' });
const flags = () => ['--registries-conf', conf, '--registries-conf-dir', join(work, 'none.d'), '--timeout', '5', '--output', 'json'];

describe('proxy failures reported apart from registry failures', () => {
  it('probe: the proxied mirror fails with class proxy and Go\'s proxyconnect text; the direct one with refused', async () => {
    const r = await runCli(['probe', ...flags()], { env: env(), timeoutMs: 60_000 });
    const recs = r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { type: string; location?: string; steps?: { errorClass: string | null; error?: string | null }[] });
    const byEndpoint = Object.fromEntries(recs.filter((x) => x.location && x.steps).map((x) => [x.location, x.steps![0]]));
    expect(byEndpoint['mirror.example.com/org'], r.stdout + r.stderr).toMatchObject({ errorClass: 'proxy' });
    expect(byEndpoint['mirror.example.com/org']!.error).toBe(`pinging container registry mirror.example.com: Get "https://mirror.example.com/v2/": proxyconnect tcp: dial tcp 127.0.0.1:${proxyPort}: connect: connection refused`);
    expect(byEndpoint[`127.0.0.1:${deadPort}/org`]).toMatchObject({ errorClass: 'refused' });
    expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('verify: reason proxy (with the proxy fix) for an image whose only reachable mirrors are behind the failed proxy', async () => {
    const r = await runCli(['verify', ...flags(), 'source.example.com/org/app@sha256:' + 'b'.repeat(64)], { env: env(), timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout.split('\n').find((l) => l.includes('"reason"'))!) as { reason: string; attempts: { location: string; error?: string }[] };
    expect(v.reason, r.stdout).toBe('proxy');
    expect(r.stdout).toContain('the proxy failed, not the registry');
    expect(r.stdout + r.stderr).not.toContain(secret);
  });
});
