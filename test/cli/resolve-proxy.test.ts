import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hermeticEnv, runCli } from '../helpers/run-cli.ts';

let work: string;
let conf: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pp-resolve-proxy-'));
  conf = join(work, 'registries.conf');
  await writeFile(conf, '[[registry]]\nlocation = "quay.io"\n[[registry.mirror]]\nlocation = "mirror.corp.example.com:5000"\n[[registry.mirror]]\nlocation = "127.0.0.1:5000"\ninsecure = true\n');
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});
const run = (env: Record<string, string>) =>
  runCli(['resolve', '--registries-conf', conf, '--registries-conf-dir', join(work, 'none.d'), 'quay.io/org/app:1'], {
    env: { ...hermeticEnv(work), HTTPS_PROXY: '', https_proxy: '', HTTP_PROXY: '', http_proxy: '', NO_PROXY: '', no_proxy: '', ...env },
  });

describe('resolve text: proxy route per source', () => {
  it('says via which proxy and why, per source (NO_PROXY entry, loopback, the variable), the http fallback when it differs', async () => {
    const r = await run({ HTTPS_PROXY: 'http://alice:wonder-pw@proxy.corp:3128', NO_PROXY: '.corp.example.com' });
    expect(r.code).toBe(0);
    const proxyLines = r.stdout.split('\n').filter((l) => /^\s+proxy( for|:)/.test(l));
    expect(proxyLines.map((l) => l.trim())).toEqual([
      'proxy: direct (NO_PROXY entry `.corp.example.com`)',
      'proxy: direct (loopback is never proxied)',
      'proxy for the http:// fallback: direct (no HTTP_PROXY/http_proxy set)',
      'proxy: via http://***@proxy.corp:3128 (HTTPS_PROXY)',
    ]);
    expect(r.stdout + r.stderr).not.toContain('wonder-pw');
  });
  it('without proxy variables, no proxy lines', async () => {
    const r = await run({});
    expect(r.stdout).not.toMatch(/proxy:/);
  });
  it('a value Go cannot read: a warning that it is ignored, credentials hidden', async () => {
    const r = await run({ HTTPS_PROXY: 'http://bob:hidden-pw@proxy\u0001:3128' });
    expect(r.stderr).toContain('warning: HTTPS_PROXY is ignored by the runtime (Go: invalid proxy address "http://***@proxy\\u0001:3128": net/url: invalid control character in URL)');
    expect(r.stdout + r.stderr).not.toContain('hidden-pw');
  });
});
