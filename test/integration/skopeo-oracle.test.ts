/**
 * The skopeo oracle: for each situation of research/skopeo-e2e-findings.md that needs a live registry, the
 * real skopeo 1.9.3 and `pullpath pull` run on the same registries.conf against the same docker-registry
 * instances on 127.0.0.1, and must agree on: the verdict, the physical references tried in order, each
 * attempt's error, and the final error (only the config path normalised). `pullpath resolve` must list, in
 * order, the sources skopeo tried (skopeo stops at the first success, so a prefix of them), or give the
 * same rewrite error.
 *
 * The cases (findings 01–18 and §8, plus v1 files, user drop-ins, TLS, auth, localhost) and the registry
 * layout they use are in test/helpers/skopeo-oracle-cases.ts; the run helpers in test/helpers/skopeo.ts.
 * Registry hostnames are only 127.0.0.1 and localhost; docker.io is always remapped to loopback, so
 * nothing outside loopback is ever dialled. Deliberate differences: ALLOWED_DIFFERENCES below; real gaps
 * left to other owners: cases with `knownGap` (declared `it.fails`).
 *
 * /etc/containers/registries.conf.d: skopeo reads it even with --registries-conf, and so does pullpath
 * (same rule). `systemDropInsAffecting()` checks it holds nothing but [aliases] (Debian ships only
 * shortnames.conf); aliases never apply to the fully qualified docker:// references used here. If it holds
 * more, the suite fails loudly rather than compare two runs that may both be skewed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pLimit from 'p-limit';
import { createMockCa, createServerCert } from '../../src/mock/tls.ts';
import { dockerRegistrySkipReason, freePort, HTPASSWD_PASSWORD, HTPASSWD_USER, pushImage, startDockerRegistry, tinyImage } from '../helpers/docker-registry.ts';
import { oracleCases, type OracleWorld } from '../helpers/skopeo-oracle-cases.ts';
import { runPullpathPull, runPullpathResolve, runSkopeo, skopeoSkipReason, systemDropInsAffecting, type RunOutcome } from '../helpers/skopeo.ts';

const skip = skopeoSkipReason() ?? dockerRegistrySkipReason();
if (skip) console.warn(`[skopeo-oracle] skipped: ${skip}`);

// Registries and ports shared by every case (started once: each docker-registry costs ~1 s); see OracleWorld.
const W = { user: HTPASSWD_USER, password: HTPASSWD_PASSWORD } as OracleWorld;
const CASES = oracleCases(W);
let work: string;
/** --cert-dir holding the throw-away CA, for the cases that trust it */
let caDir: string;
let home: string;
const img = tinyImage();
// Three child processes per case (skopeo, pullpath pull, pullpath resolve) on a small machine: 3 cases at a time.
const limit = pLimit(3);

beforeAll(async () => {
  if (skip) return;
  work = await mkdtemp(join(tmpdir(), 'pp-oracle-'));
  home = join(work, 'home');
  const ca = await createMockCa();
  caDir = join(work, 'ca');
  await mkdir(caDir);
  await writeFile(join(caDir, 'ca.crt'), ca.certPem);
  const [cert, otherName] = await Promise.all([createServerCert(ca, ['127.0.0.1']), createServerCert(ca, ['secure.example.com'])]);
  [W.A, W.B, W.C, W.D, W.S, W.SN, W.AUTH] = await Promise.all([
    startDockerRegistry(),
    startDockerRegistry(),
    startDockerRegistry(),
    startDockerRegistry(),
    startDockerRegistry({ tls: cert }),
    startDockerRegistry({ tls: otherName }),
    startDockerRegistry({ htpasswd: true }),
  ]);
  W.R1 = `127.0.0.1:${await freePort()}`;
  W.R2 = `127.0.0.1:${await freePort()}`;
  W.digest = img.digest;
  await Promise.all([
    ...[W.A, W.D, W.S, W.SN].map((r) => pushImage(r.url, 'lib/hello', 'v1', img)),
    pushImage(W.B.url, 'mirror/lib/hello', 'v1', img),
    pushImage(W.AUTH.url, 'lib/hello', 'v1', img, { user: HTPASSWD_USER, password: HTPASSWD_PASSWORD }),
  ]);
}, 60_000);

afterAll(async () => {
  if (skip) return;
  await Promise.all([W.A, W.B, W.C, W.D, W.S, W.SN, W.AUTH].filter(Boolean).map((r) => r.stop()));
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * Deliberate differences, by case id: kept short, each with its reason. Instead of skipping the field,
 * each entry maps both texts to the part that must still agree.
 */
interface AllowedDifference {
  why: string;
  /** pullpath's final error (config path already normalised) → the text compared */
  pullpath(error: string): string;
  /** skopeo's final error (config path already normalised) → the text compared */
  skopeo(error: string): string;
}
const CONFIG_LOAD_ERROR: AllowedDifference = {
  why: 'config load errors: pullpath prints "pullpath CMD: TEXT (FILE:LINE)" and no doubled prefix',
  pullpath: (e) => e.replace(/^pullpath [a-z]+: /, '').replace(/ \(<CONF>(:\d+)?\)$/, ''),
  skopeo: (e) => e.replace(/^loading registries configuration: /, ''),
};
const ALLOWED_DIFFERENCES: Record<string, AllowedDifference> = {
  // A registries.conf that does not load is a usage error for pullpath (issue 2: exit 2, message on
  // stderr naming the file, plus the line the TOML parser knows); skopeo wraps the same library text in
  // a doubled "loading registries configuration: " prefix (FindRegistry's wrapper + loadConfigFile's).
  '15': CONFIG_LOAD_ERROR,
  'v1-v2-mixed': CONFIG_LOAD_ERROR,
};

const norm = (s: string | null, conf: string) => (s === null ? null : s.split(conf).join('<CONF>'));
const view = (o: RunOutcome, conf: string) => ({
  ok: o.ok,
  tried: o.tried,
  attemptErrors: o.attemptErrors.map((e) => norm(e, conf)),
  error: norm(o.error, conf),
});

describe.skipIf(skip !== null)('pullpath agrees with skopeo 1.9.3 on live registries (findings 01–18 and more)', () => {
  it('the system drop-in dir holds nothing that could affect docker:// references', () => {
    expect(systemDropInsAffecting()).toEqual([]);
  });

  for (const c of CASES) {
    const define = c.knownGap ? it.concurrent.fails : it.concurrent;
    define(`${c.id}: ${c.what}${c.knownGap ? ` [known gap: ${c.knownGap}]` : ''}`, async ({ expect }) => {
      const conf = join(work, `${c.id}.conf`);
      await writeFile(conf, c.conf());
      let caseHome = home;
      if (c.dropIn || c.homeFiles) {
        caseHome = join(work, `home-${c.id}`);
        const files = { ...(c.homeFiles?.() ?? {}), ...(c.dropIn ? { '.config/containers/registries.conf.d/50-case.conf': c.dropIn() } : {}) };
        for (const [rel, text] of Object.entries(files)) {
          await mkdir(dirname(join(caseHome, rel)), { recursive: true });
          await writeFile(join(caseHome, rel), text);
        }
      }
      const opts = { conf, ref: c.ref(), noVerify: c.noVerify, home: caseHome, ...(c.trustCa ? { certDir: caDir } : {}) };
      const [sk, pp, rs] = await limit(() => Promise.all([runSkopeo(opts), runPullpathPull(opts), runPullpathResolve(opts)]));

      // The oracle itself first: skopeo must still do what the findings recorded.
      expect({ ok: sk.ok, tried: sk.tried }, `skopeo stderr:\n${sk.stderr}`).toEqual({ ok: c.expectOk, tried: c.expectTried() });
      if (!sk.ok) expect(sk.error, 'skopeo gave no fatal message').not.toBeNull();

      // Each failed attempt of skopeo's has its "Accessing … failed" line (else the parser broke).
      const failedAttempts = sk.ok ? sk.attemptErrors.slice(0, -1) : sk.attemptErrors;
      expect(failedAttempts.every((e) => e !== null), sk.stderr).toBe(true);

      const want = view(sk, conf);
      const got = view(pp, conf);
      const allowed = ALLOWED_DIFFERENCES[c.id];
      if (allowed && want.error !== null && got.error !== null) {
        want.error = allowed.skopeo(want.error);
        got.error = allowed.pullpath(got.error);
      }
      expect(got, `pullpath stdout:\n${pp.stdout}\nstderr:\n${pp.stderr}`).toEqual(want);
      // No secret of the auth cases may surface in pullpath's output (skopeo's is not checked: not ours).
      expect(pp.stdout + pp.stderr).not.toContain(HTPASSWD_PASSWORD);
      expect(pp.stdout + pp.stderr).not.toContain(Buffer.from(`${HTPASSWD_USER}:`).toString('base64').slice(0, 8));
      // pullpath's exit status: 0 pulled, 1 the pull failed; a reference or config the user must fix is 2.
      expect(pp.exitCode, pp.stderr).toBe(sk.ok ? 0 : c.usageError ? 2 : 1);

      // resolve: the sources skopeo tried are the start of resolve's list (skopeo stops at the first
      // success); when skopeo tried nothing, resolve reports the same error.
      if (sk.tried.length > 0) {
        expect(rs.sources.slice(0, sk.tried.length).map((s) => s.reference), rs.stderr).toEqual(sk.tried);
        if (!sk.ok) expect(rs.sources.map((s) => s.reference)).toEqual(sk.tried);
        // The flags resolve shows must explain what skopeo did with each source it tried: blocked exactly
        // where skopeo refused with "is blocked in"; and, without --tls-verify=false (every registry here
        // is plain HTTP but the trusted-CA ones), insecure exactly where skopeo got through, secure where it
        // hit the HTTPS error.
        sk.tried.forEach((r, i) => {
          const e = sk.attemptErrors[i] ?? null;
          expect(rs.sources[i]!.blocked, `${r}: ${e}`).toBe(e !== null && / is blocked in /.test(e));
          if (!c.noVerify && !c.trustCa && (e === null || e.includes('server gave HTTP response to HTTPS client'))) {
            expect(rs.sources[i]!.insecure, `${r}: ${e}`).toBe(e === null);
          }
        });
      } else {
        let rsErr = norm(rs.error, conf);
        if (allowed && rsErr !== null) rsErr = allowed.pullpath(rsErr);
        expect(rsErr, rs.stderr).toBe(want.error);
      }
    }, 60_000);
  }
});
