/**
 * Pulls through a real proxy (Debian's squid on loopback), with skopeo 1.9.3 as the oracle: both tools run on
 * the same registries.conf with the same HTTPS_PROXY / HTTP_PROXY / NO_PROXY, and must try the same sources,
 * reach the same verdict and print the same errors; squid's access log shows that both went through it.
 *
 * Go never proxies loopback, so registries are named `registry.test`, `plain.test`, `down.test`: only squid
 * resolves them (its hosts_file maps them to 127.0.0.1). pullpath gets no --connect-to for them: the proxy
 * resolves the registry's name, as it does for the runtime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMockCa, createServerCert } from '../../src/mock/tls.ts';
import { dockerRegistrySkipReason, freePort, pushImage, startDockerRegistry, tinyImage, type RunningRegistry } from '../helpers/docker-registry.ts';
import { runPullpathPull, runSkopeo, skopeoSkipReason, type RunOutcome } from '../helpers/skopeo.ts';
import { PROXY_PASSWORD, PROXY_USER, squidSkipReason, startSquid, type RunningSquid } from '../helpers/squid.ts';

const skip = skopeoSkipReason() ?? dockerRegistrySkipReason() ?? squidSkipReason();
if (skip) console.warn(`[proxy-squid] skipped: ${skip}`);

let work: string;
let home: string;
let caDir: string;
let tlsReg: RunningRegistry;
let plainReg: RunningRegistry;
let squid: RunningSquid;
let squidAuth: RunningSquid;
let deadPort: number;
const img = tinyImage('proxied image');

beforeAll(async () => {
  if (skip) return;
  work = await mkdtemp(join(tmpdir(), 'pp-proxy-'));
  home = join(work, 'home');
  await mkdir(home);
  const ca = await createMockCa();
  caDir = join(work, 'ca');
  await mkdir(caDir);
  await writeFile(join(caDir, 'ca.crt'), ca.certPem);
  const cert = await createServerCert(ca, ['registry.test', 'down.test', '127.0.0.1']);
  const hosts = ['registry.test', 'plain.test', 'down.test'];
  [tlsReg, plainReg, squid, squidAuth] = await Promise.all([
    startDockerRegistry({ tls: cert }),
    startDockerRegistry(),
    startSquid({ hosts }),
    startSquid({ hosts, auth: true }),
  ]);
  deadPort = await freePort();
  // Pushed directly over loopback (no proxy involved).
  await Promise.all([pushImage(tlsReg.url, 'lib/hello', 'v1', img), pushImage(plainReg.url, 'lib/hello', 'v1', img)]);
}, 60_000);

afterAll(async () => {
  if (skip) return;
  await Promise.all([tlsReg, plainReg, squid, squidAuth].filter(Boolean).map((r) => r.stop()));
  if (work) await rm(work, { recursive: true, force: true });
});

const view = (o: RunOutcome, conf: string) => ({
  ok: o.ok,
  tried: o.tried,
  attemptErrors: o.attemptErrors.map((e) => (e === null ? null : e.split(conf).join('<CONF>'))),
  error: o.error === null ? null : o.error.split(conf).join('<CONF>'),
});

interface ProxyCase {
  id: string;
  conf(): string;
  ref(): string;
  env(): Record<string, string>;
  expectOk: boolean;
  /** The error class pullpath gives a failure. */
  expectClass?: string;
  /** Lines squid's access log must hold afterwards (per tool run, at least one). */
  expectLog?(): RegExp;
  /** Lines squid's access log must never hold (a NO_PROXY exception went direct). */
  expectNoLog?(): RegExp;
  proxy(): RunningSquid;
  /** More pullpath flags (e.g. --log-level debug, whose HTTP trace must not show the proxy credentials either). */
  ppArgs?: string[];
}

const CASES: ProxyCase[] = [
  {
    id: 'tls-via-connect',
    conf: () => `[[registry]]\nlocation = "registry.test:${tlsReg.port}"\n`,
    ref: () => `docker://registry.test:${tlsReg.port}/lib/hello:v1`,
    env: () => ({ HTTPS_PROXY: squid.url }),
    expectOk: true,
    expectLog: () => new RegExp(`CONNECT registry\\.test:${tlsReg.port}`),
    proxy: () => squid,
  },
  {
    id: 'plain-http-absolute-form',
    conf: () => `[[registry]]\nlocation = "plain.test:${plainReg.port}"\ninsecure = true\n`,
    ref: () => `docker://plain.test:${plainReg.port}/lib/hello:v1`,
    env: () => ({ HTTP_PROXY: squid.url, HTTPS_PROXY: squid.url }),
    expectOk: true,
    expectLog: () => new RegExp(`GET http://plain\\.test:${plainReg.port}/v2/lib/hello/manifests/v1`),
    proxy: () => squid,
  },
  {
    id: 'mirror-down-behind-proxy-then-source',
    conf: () => `[[registry]]\nlocation = "registry.test:${tlsReg.port}"\n[[registry.mirror]]\nlocation = "down.test:${deadPort}"\n`,
    ref: () => `docker://registry.test:${tlsReg.port}/lib/hello:v1`,
    env: () => ({ HTTPS_PROXY: squid.url }),
    expectOk: true,
    expectLog: () => new RegExp(`CONNECT down\\.test:${deadPort}`),
    proxy: () => squid,
  },
  {
    id: 'loopback-mirror-never-proxied',
    conf: () => `[[registry]]\nlocation = "registry.test:${tlsReg.port}"\n[[registry.mirror]]\nlocation = "127.0.0.1:${plainReg.port}"\ninsecure = true\n`,
    ref: () => `docker://registry.test:${tlsReg.port}/lib/hello:v1`,
    env: () => ({ HTTPS_PROXY: `http://127.0.0.1:${deadPort}`, HTTP_PROXY: `http://127.0.0.1:${deadPort}` }),
    expectOk: true,
    proxy: () => squid,
  },
  // NO_PROXY exceptions with a host that is not loopback for Go but reaches this machine: 0.0.0.0 (Linux dials
  // it as the local host). Names would need the system DNS for a direct dial, which these tests never use.
  {
    id: 'no-proxy-ip-entry-goes-direct',
    conf: () => `[[registry]]\nlocation = "registry.test:${tlsReg.port}"\n[[registry.mirror]]\nlocation = "0.0.0.0:${plainReg.port}"\ninsecure = true\n`,
    ref: () => `docker://registry.test:${tlsReg.port}/lib/hello:v1`,
    env: () => ({ HTTPS_PROXY: squid.url, HTTP_PROXY: squid.url, NO_PROXY: 'quay.io,0.0.0.0' }),
    expectOk: true,
    expectNoLog: () => /0\.0\.0\.0/,
    proxy: () => squid,
  },
  {
    id: 'no-proxy-cidr-goes-direct',
    conf: () => `[[registry]]\nlocation = "registry.test:${tlsReg.port}"\n[[registry.mirror]]\nlocation = "0.0.0.0:${plainReg.port}"\ninsecure = true\n`,
    ref: () => `docker://registry.test:${tlsReg.port}/lib/hello:v1`,
    env: () => ({ HTTPS_PROXY: squid.url, HTTP_PROXY: squid.url, no_proxy: '.corp.example.com,0.0.0.0/8' }),
    expectOk: true,
    expectNoLog: () => /0\.0\.0\.0/,
    proxy: () => squid,
  },
  {
    id: 'same-mirror-without-no-proxy-goes-through-squid',
    conf: () => `[[registry]]\nlocation = "registry.test:${tlsReg.port}"\n[[registry.mirror]]\nlocation = "0.0.0.0:${plainReg.port}"\ninsecure = true\n`,
    ref: () => `docker://registry.test:${tlsReg.port}/lib/hello:v1`,
    env: () => ({ HTTPS_PROXY: squid.url, HTTP_PROXY: squid.url, NO_PROXY: 'quay.io' }),
    expectOk: true,
    expectLog: () => new RegExp(`CONNECT 0\\.0\\.0\\.0:${plainReg.port}`),
    proxy: () => squid,
  },
  {
    id: 'proxy-refused',
    conf: () => `[[registry]]\nlocation = "registry.test:${tlsReg.port}"\n`,
    ref: () => `docker://registry.test:${tlsReg.port}/lib/hello:v1`,
    env: () => ({ HTTPS_PROXY: `http://127.0.0.1:${deadPort}` }),
    expectOk: false,
    expectClass: 'proxy',
    proxy: () => squid,
  },
  {
    id: 'proxy-407-no-credentials',
    conf: () => `[[registry]]\nlocation = "registry.test:${tlsReg.port}"\n`,
    ref: () => `docker://registry.test:${tlsReg.port}/lib/hello:v1`,
    env: () => ({ HTTPS_PROXY: squidAuth.url }),
    expectOk: false,
    expectClass: 'proxy',
    expectLog: () => /TCP_DENIED\/407 .*CONNECT registry\.test/,
    proxy: () => squidAuth,
  },
  {
    id: 'proxy-credentials-in-url',
    conf: () => `[[registry]]\nlocation = "registry.test:${tlsReg.port}"\n`,
    ref: () => `docker://registry.test:${tlsReg.port}/lib/hello:v1`,
    env: () => ({ HTTPS_PROXY: squidAuth.urlWithCredentials }),
    expectOk: true,
    expectLog: () => new RegExp(`CONNECT registry\\.test:${tlsReg.port} ${PROXY_USER}`),
    proxy: () => squidAuth,
    ppArgs: ['--log-level', 'debug'],
  },
  {
    id: 'plain-http-proxy-credentials',
    conf: () => `[[registry]]\nlocation = "plain.test:${plainReg.port}"\ninsecure = true\n`,
    ref: () => `docker://plain.test:${plainReg.port}/lib/hello:v1`,
    env: () => ({ HTTP_PROXY: squidAuth.urlWithCredentials }),
    expectOk: true,
    expectLog: () => new RegExp(`GET http://plain\\.test:${plainReg.port}/v2/lib/hello/manifests/v1 ${PROXY_USER}`),
    proxy: () => squidAuth,
    ppArgs: ['--log-level', 'debug'],
  },
  {
    id: 'plain-http-407',
    conf: () => `[[registry]]\nlocation = "plain.test:${plainReg.port}"\ninsecure = true\n`,
    ref: () => `docker://plain.test:${plainReg.port}/lib/hello:v1`,
    env: () => ({ HTTP_PROXY: squidAuth.url }),
    expectOk: false,
    expectClass: 'proxy',
    proxy: () => squidAuth,
  },
];

describe.skipIf(skip !== null)('through squid: pullpath agrees with skopeo 1.9.3', () => {
  for (const c of CASES) {
    it(c.id, async () => {
      const conf = join(work, `${c.id}.conf`);
      await writeFile(conf, c.conf());
      const opts = { conf, ref: c.ref(), home, certDir: caDir, env: c.env() };
      const sk = await runSkopeo(opts);
      const logAfterSkopeo = await c.proxy().accessLog();
      const pp = await runPullpathPull({ ...opts, ...(c.ppArgs ? { extraArgs: c.ppArgs } : {}) });
      const logAfterBoth = await c.proxy().accessLog();
      expect(sk.ok, `skopeo stderr:\n${sk.stderr}`).toBe(c.expectOk);
      expect(view(pp, conf), `pullpath stdout:\n${pp.stdout}\nstderr:\n${pp.stderr}`).toEqual(view(sk, conf));
      if (!c.expectOk) expect(pp.errorClass).toBe(c.expectClass);
      if (c.expectLog) {
        const re = c.expectLog();
        const skopeoLines = logAfterSkopeo.split('\n').filter((l) => re.test(l)).length;
        const allLines = logAfterBoth.split('\n').filter((l) => re.test(l)).length;
        expect(skopeoLines, 'skopeo went through squid').toBeGreaterThan(0);
        expect(allLines - skopeoLines, `pullpath went through squid:\n${logAfterBoth}`).toBeGreaterThan(0);
      }
      if (c.expectNoLog) expect(logAfterBoth, 'a NO_PROXY host went through squid').not.toMatch(c.expectNoLog());
      // No proxy credential in anything pullpath printed.
      if (c.ppArgs?.includes('debug')) expect(pp.stderr, 'the debug trace ran').toMatch(/GET|Trying to access/);
      expect(pp.stdout + pp.stderr).not.toContain(PROXY_PASSWORD);
      expect(pp.stdout + pp.stderr).not.toContain(Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64'));
    }, 60_000);
  }
});
