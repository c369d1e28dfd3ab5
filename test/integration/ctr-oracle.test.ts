/**
 * The containerd oracle: the real `ctr` 1.6.20 (Debian's containerd package; its remote resolver runs inside ctr)
 * and pullpath's engine pull the same reference with the same hosts directory, against the same loopback servers:
 * real docker-registry instances behind logging proxies that also play the broken mirrors (404, 500, 429, a cache
 * under a path prefix, a mirror that resolves but cannot serve), and ports where nothing listens.
 *
 * For each case both must agree on: the verdict, every manifest request in order across all hosts (method, host,
 * path and `?ns=` query: the resolve HEADs/GETs, the retries, and the fetch walk by digest after resolving), and
 * the final error text (`ctr: …` minus the prefix; pullpath's result error). The oracle's own verdict is pinned
 * too (`expectOk`), so a changed ctr cannot make both sides agree on something new unnoticed.
 *
 * pullpath's side goes through the model (containerdSetupFromTexts + resolveContainerd, which also fills the fetch
 * walk) and the engine (pullOne), in-process. Requests to a port where nothing listens are
 * not logged by anyone; they show in the error texts.
 *
 * Needs root (containerd's daemon, even in a temp root) and the `containerd` and `docker-registry` packages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerRegistrySkipReason, freePort, pushImage, startDockerRegistry, type RunningRegistry } from '../helpers/docker-registry.ts';
import { startFaultProxy, type FaultProxy, type LoggedRequest } from '../helpers/fault-proxy.ts';
import { ctrPull, ctrSkipReason, startContainerd, unpackableImage, type ContainerdDaemon } from '../helpers/ctr.ts';
import { containerdSetupFromTexts } from '../../src/containerd/setup.ts';
import { createMockCa, createServerCert } from '../../src/mock/tls.ts';
import { resolveContainerd } from '../../src/containerd/resolve.ts';
import { createRegistryClient } from '../../src/registry/client.ts';
import { pullOne } from '../../src/pull/pull-one.ts';
import type { AttemptEvent, PullEvent } from '../../src/events/pull-events.ts';

const skip = ctrSkipReason() ?? dockerRegistrySkipReason();
if (skip) console.warn(`[ctr-oracle] skipped: ${skip}`);

/** One image per case (its own digests): containerd skips fetching content it already stores, in any namespace. */
const imageOf = (id: string) => unpackableImage(`ctr oracle case ${id}`);
const log: LoggedRequest[] = [];
let work: string;
let daemon: ContainerdDaemon;
let REG: RunningRegistry;
let EMPTY: RunningRegistry;
const P: Record<string, FaultProxy> = {};
/** host:port of the servers, by role */
const H: Record<string, string> = {};

beforeAll(async () => {
  if (skip) return;
  work = await mkdtemp(join(tmpdir(), 'pp-ctr-oracle-'));
  [daemon, REG, EMPTY] = await Promise.all([startContainerd(), startDockerRegistry(), startDockerRegistry()]);
  await Promise.all(CASES.map((c) => pushImage(REG.url, 'lib/hello', c.id, imageOf(c.id))));
  // A throw-away CA: `tls` serves HTTPS with a certificate it signed (ca.crt is what hosts.toml's `ca` names).
  const ca = await createMockCa();
  const cert = await createServerCert(ca, ['127.0.0.1']);
  await writeFile(join(work, 'ca.crt'), ca.certPem);
  const specs: Record<string, Parameters<typeof startFaultProxy>[0]> = {
    tls: { upstream: REG.url, tls: cert },
    src: { upstream: REG.url },
    ok: { upstream: REG.url },
    ok2: { upstream: REG.url },
    empty: { upstream: EMPTY.url },
    s500: { status: 500 },
    s429: { status: 429 },
    cache: { upstream: REG.url, stripPrefix: '/cache' },
    // Resolves (HEAD) but fails every GET of a manifest: the fetch walk must move on to the next host.
    headonly: { upstream: REG.url, faultWhen: (m, p) => (m === 'GET' && p.includes('/manifests/') ? 500 : null) },
  };
  for (const [name, spec] of Object.entries(specs)) {
    P[name] = await startFaultProxy({ ...spec, name, log });
    H[name] = P[name]!.addr;
  }
  H.down = `127.0.0.1:${await freePort()}`;
  H.srcdown = `127.0.0.1:${await freePort()}`;
}, 90_000);

/** PULLPATH_ORACLE_REPORT=1 prints the agreement table (for notes and the README). */
const report: string[] = [];

afterAll(async () => {
  if (skip) return;
  if (process.env.PULLPATH_ORACLE_REPORT === '1') console.log(['| case | ctr verdict | manifest requests (ctr = pullpath) | ctr ms (whole pull + unpack) | pullpath ms (manifests only) | final error (ctr = pullpath) |', '| --- | --- | --- | --- | --- | --- |', ...report].join('\n'));
  await Promise.all(Object.values(P).map((p) => p.stop()));
  await Promise.all([REG, EMPTY, daemon].filter(Boolean).map((x) => x.stop()));
  if (work) await rm(work, { recursive: true, force: true });
});

interface OracleCase {
  id: string;
  what: string;
  /** Directory name → hosts.toml text (null: the directory without a hosts.toml). */
  dirs: () => Record<string, string | null>;
  /** The reference; `T` is the case's own tag (its image), `D` its digest. */
  ref: () => string;
  expectOk: boolean;
}

const host = (role: string, caps = '["pull", "resolve"]', extra = '') => `[host."http://${H[role]}"]\n  capabilities = ${caps}\n${extra}`;
const srcDir = () => H.src!;

const CASES: OracleCase[] = [
  { id: 'serving-mirror', what: 'one mirror that serves', dirs: () => ({ [srcDir()]: host('ok') }), ref: () => `${H.src}/lib/hello:T`, expectOk: true },
  {
    id: 'down-404-500-serving',
    what: 'refused, 404 and 500 fall through to the serving mirror; the manifest by digest walks them again',
    dirs: () => ({ [srcDir()]: host('down') + host('empty') + host('s500') + host('ok') }),
    ref: () => `${H.src}/lib/hello:T`,
    expectOk: true,
  },
  { id: 'all-404', what: 'every host answers 404: REF: not found', dirs: () => ({ [srcDir()]: host('empty') }), ref: () => `${H.src}/lib/hello:nope`, expectOk: false },
  {
    id: 'first-non-404',
    what: 'the first non-404 error is the one reported (500 before a refusal)',
    dirs: () => ({ [srcDir()]: host('empty') + host('s500') + host('down') }),
    ref: () => `${H.src}/lib/hello:nope`,
    expectOk: false,
  },
  { id: 'refused-first', what: 'a refusal before 404s is the error', dirs: () => ({ [srcDir()]: host('down') + host('empty') }), ref: () => `${H.src}/lib/hello:nope`, expectOk: false },
  {
    id: 'server-down',
    what: 'the registry itself (server) is down after a 404 mirror: its refusal, without ?ns=',
    dirs: () => ({ [H.srcdown!]: `server = "http://${H.srcdown}"\n` + host('empty') }),
    ref: () => `${H.srcdown}/lib/hello:T`,
    expectOk: false,
  },
  { id: 'rate-limited', what: '429: six HEADs at once, then the next host', dirs: () => ({ [srcDir()]: host('s429') }), ref: () => `${H.src}/lib/hello:T`, expectOk: true },
  {
    id: 'pull-only-tag',
    what: 'a pull-only mirror is skipped to resolve a tag, then serves the manifest by digest (it comes first in the walk)',
    dirs: () => ({ [srcDir()]: host('ok', '["pull"]') }),
    ref: () => `${H.src}/lib/hello:T`,
    expectOk: true,
  },
  {
    id: 'digest-ref',
    what: 'a digest reference resolves on pull-only hosts',
    dirs: () => ({ [srcDir()]: host('empty', '["pull"]') + host('ok', '["pull"]') }),
    ref: () => `${H.src}/lib/hello@D`,
    expectOk: true,
  },
  {
    id: 'digest-missing',
    what: 'a digest nobody has: manifests/ on every host, then blobs/ on every host',
    dirs: () => ({ [srcDir()]: host('empty', '["pull"]') }),
    ref: () => `${H.src}/lib/hello@sha256:${'1'.repeat(64)}`,
    expectOk: false,
  },
  { id: 'server-only-ignored', what: 'a hosts.toml with only `server` is ignored: the registry itself', dirs: () => ({ [srcDir()]: `server = "http://${H.ok}"\n` }), ref: () => `${H.src}/lib/hello:T`, expectOk: true },
  {
    id: 'duplicate-table-ignored',
    what: 'a TOML error (a [host] table twice) ignores the whole file',
    dirs: () => ({ [srcDir()]: host('ok') + host('ok') }),
    ref: () => `${H.src}/lib/hello:T`,
    expectOk: true,
  },
  {
    id: 'override-path',
    what: 'override_path: the path is used as given (a cache under /cache/v2)',
    dirs: () => ({ [srcDir()]: `[host."http://${H.cache}/cache/v2"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n` }),
    ref: () => `${H.src}/lib/hello:T`,
    expectOk: true,
  },
  {
    id: 'path-gets-v2',
    what: 'without override_path, /v2 is appended to the host path (/cache → /cache/v2)',
    dirs: () => ({ [srcDir()]: `[host."http://${H.cache}/cache"]\n  capabilities = ["pull", "resolve"]\n` }),
    ref: () => `${H.src}/lib/hello:T`,
    expectOk: true,
  },
  {
    id: 'override-path-forgotten',
    what: 'a /cache/v2 path without override_path becomes /cache/v2/v2: 404, then the registry itself',
    dirs: () => ({ [srcDir()]: `[host."http://${H.cache}/cache/v2"]\n  capabilities = ["pull", "resolve"]\n` }),
    ref: () => `${H.src}/lib/hello:T`,
    expectOk: true,
  },
  {
    id: 'default-dir',
    what: '_default catches a registry without its own directory',
    dirs: () => ({ _default: host('ok2') }),
    ref: () => `${H.src}/lib/hello:T`,
    expectOk: true,
  },
  {
    id: 'host-port-underscore',
    what: 'host_port_ is looked up before host:port',
    dirs: () => ({ [srcDir().replace(':', '_') + '_']: host('ok'), [srcDir()]: host('ok2') }),
    ref: () => `${H.src}/lib/hello:T`,
    expectOk: true,
  },
  {
    id: 'empty-dir-wins',
    what: 'an existing directory without hosts.toml wins over _default: the registry itself',
    dirs: () => ({ [srcDir()]: null, _default: host('ok2') }),
    ref: () => `${H.src}/lib/hello:T`,
    expectOk: true,
  },
  {
    id: 'fetch-falls-through',
    what: 'a mirror that resolves but 500s on the manifest GET: the fetch walk takes the next host',
    dirs: () => ({ [srcDir()]: host('headonly') + host('ok') }),
    ref: () => `${H.src}/lib/hello:T`,
    expectOk: true,
  },
  {
    id: 'fetch-fails',
    what: 'resolved, but no host serves the manifest by digest: the fetch error (first error of the walk)',
    dirs: () => ({ [H.srcdown!]: `server = "http://${H.srcdown}"\n` + host('headonly') }),
    ref: () => `${H.srcdown}/lib/hello:T`,
    expectOk: false,
  },
  {
    id: 'tls-ca',
    what: 'an https mirror whose certificate is trusted through `ca`',
    dirs: () => ({ [srcDir()]: `[host."https://${H.tls}"]\n  capabilities = ["pull", "resolve"]\n  ca = "${join(work, 'ca.crt')}"\n` }),
    ref: () => `${H.src}/lib/hello:T`,
    expectOk: true,
  },
  {
    id: 'tls-skip-verify',
    what: 'an https mirror with an unknown CA and skip_verify = true',
    dirs: () => ({ [srcDir()]: `[host."https://${H.tls}"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true\n` }),
    ref: () => `${H.src}/lib/hello:T`,
    expectOk: true,
  },
  {
    id: 'tls-untrusted',
    what: 'an https mirror with an unknown CA: x509 error, the next host (server) is down: that x509 error is reported',
    dirs: () => ({ [H.srcdown!]: `server = "http://${H.srcdown}"\n[host."https://${H.tls}"]\n  capabilities = ["pull", "resolve"]\n` }),
    ref: () => `${H.srcdown}/lib/hello:T`,
    expectOk: false,
  },
  {
    id: 'skip-verify-on-http',
    what: 'skip_verify on a plain-HTTP mirror named without a scheme: https is spoken, the HTTP answer fails, then server',
    dirs: () => ({ [H.srcdown!]: `server = "http://${H.srcdown}"\n[host."${H.ok}"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true\n` }),
    ref: () => `${H.srcdown}/lib/hello:T`,
    expectOk: false,
  },
  {
    id: 'headers',
    what: 'hosts.toml headers are sent to that host',
    dirs: () => ({ [srcDir()]: host('ok', '["pull", "resolve"]', `  [host."http://${H.ok}".header]\n    x-mirror-auth = "opaque-value"\n`) }),
    ref: () => `${H.src}/lib/hello:T`,
    expectOk: true,
  },
];

/** Manifest requests in order, as `proxy METHOD path?query [hosts.toml header]` (ctr fetches blobs concurrently: left out). */
const manifestLine = (r: LoggedRequest) => `${r.proxy} ${r.method} ${r.path}${r.headers['x-mirror-auth'] ? ` [x-mirror-auth: ${String(r.headers['x-mirror-auth'])}]` : ''}`;
const manifestRequests = () => log.filter((r) => r.path.includes('/manifests/')).map(manifestLine);

async function pullpathPull(dir: string, files: Record<string, string | null>, ref: string) {
  const setup = containerdSetupFromTexts({
    hostsDirs: [{ dir, hosts: Object.fromEntries(Object.entries(files).map(([n, t]) => [n, t === null ? null : { path: join(dir, n, 'hosts.toml'), text: t }])) }],
  });
  const resolution = resolveContainerd(setup, ref);
  const client = createRegistryClient({});
  const events: PullEvent[] = [];
  try {
    const result = await pullOne(resolution, { client, attemptTimeoutMs: 20_000 }, (e) => events.push(e));
    return { result, attempts: events.filter((e): e is AttemptEvent => e.type === 'attempt'), resolution };
  } finally {
    await client.close();
  }
}

describe.skipIf(skip !== null)('pullpath agrees with ctr 1.6.20 (containerd remote resolver) request by request', () => {
  for (const c of CASES) {
    it(`${c.id}: ${c.what}`, async () => {
      const dir = join(work, c.id);
      const files = c.dirs();
      for (const [name, text] of Object.entries(files)) {
        await mkdir(join(dir, name), { recursive: true });
        if (text !== null) await writeFile(join(dir, name, 'hosts.toml'), text);
      }
      const ref = c.ref().replace(/:T$/, `:${c.id}`).replace(/@D$/, `@${imageOf(c.id).digest}`);

      log.splice(0);
      const t0 = performance.now();
      const ctr = await ctrPull(daemon, dir, ref, `oracle-${c.id}`);
      const ctrMs = performance.now() - t0;
      const ctrRequests = manifestRequests();
      // The oracle itself first.
      expect({ ok: ctr.exitCode === 0, error: ctr.error }, ctr.stderr).toMatchObject({ ok: c.expectOk });

      log.splice(0);
      const t1 = performance.now();
      const pp = await pullpathPull(dir, files, ref);
      const ppMs = performance.now() - t1;
      const ppRequests = manifestRequests();

      const detail = `ctr stderr:\n${ctr.stderr}\npullpath attempts:\n${JSON.stringify(pp.attempts.map((a) => [a.reference, a.error]), null, 1)}\nresolution: ${JSON.stringify(pp.resolution.sources.map((s) => s.why))}`;
      report.push(`| ${c.id} | ${ctr.exitCode === 0 ? 'pulled' : 'failed'} | ${ctrRequests.length} | ${Math.round(ctrMs)} | ${Math.round(ppMs)} | ${ctr.error === null ? '' : '`' + ctr.error.replace(/127\.0\.0\.1:\d+/g, 'H') + '`'} |`);
      expect({ ok: pp.result.ok, requests: ppRequests, error: pp.result.error }, detail).toEqual({ ok: ctr.exitCode === 0, requests: ctrRequests, error: ctr.error });
    }, 90_000);
  }
});
