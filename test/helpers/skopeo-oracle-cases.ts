/**
 * The situations the skopeo oracle (test/integration/skopeo-oracle.test.ts) runs through both skopeo and
 * pullpath: the findings' cases 01–18 (research/skopeo-e2e-findings.md) that need a live registry, its §8
 * parse errors, and a few more that reach the wire (v1 files, user drop-ins, TLS, auth, localhost).
 * Every registry is on 127.0.0.1/localhost; docker.io is always remapped to loopback.
 */
import type { RunningRegistry } from './docker-registry.ts';

/** The registries and ports the cases use; filled in by the test's beforeAll (read lazily by the cases). */
export interface OracleWorld {
  /** has lib/hello:v1 (the findings' 55011) */
  A: RunningRegistry;
  /** has mirror/lib/hello:v1 (55012) */
  B: RunningRegistry;
  /** up, empty (55013) */
  C: RunningRegistry;
  /** has lib/hello:v1 (55014) */
  D: RunningRegistry;
  /** HTTPS, certificate for 127.0.0.1 from a throw-away CA, has lib/hello:v1 */
  S: RunningRegistry;
  /** HTTPS, certificate for secure.example.com only, has lib/hello:v1 */
  SN: RunningRegistry;
  /** htpasswd Basic auth, has lib/hello:v1 */
  AUTH: RunningRegistry;
  /** nothing listening (55018 / 55019) */
  R1: string;
  R2: string;
  /** manifest digest of the pushed image */
  digest: string;
  user: string;
  password: string;
}

export interface Case {
  id: string;
  what: string;
  conf: () => string;
  ref: () => string;
  /** run both with --tls-verify=false (every case but the insecure-per-endpoint ones) */
  noVerify: boolean;
  /** What the findings say skopeo does: anchors the oracle itself, so a run where both tools do nothing fails. */
  expectOk: boolean;
  expectTried: () => string[];
  /** pullpath treats it as bad input (exit 2: unparseable reference, config error), not a failed pull */
  usageError?: boolean;
  /** pass --cert-dir with the test CA to both tools */
  trustCa?: boolean;
  /**
   * A real disagreement that only D's or A1's code can fix: the case is declared `it.fails` with this
   * reason, so the suite stays green while the gap exists and turns red once it is fixed (then delete this).
   */
  knownGap?: string;
  /** a drop-in written to $HOME/.config/containers/registries.conf.d/50-case.conf (the case gets its own HOME) */
  dropIn?: () => string;
  /** more files for the case's own HOME, by path relative to it */
  homeFiles?: () => Record<string, string>;
}

const reg = (loc: string, extra = '') => `[[registry]]\nlocation = "${loc}"\n${extra}`;
const pre = (prefix: string, loc: string, extra = '') => `[[registry]]\nprefix = "${prefix}"\nlocation = "${loc}"\n${extra}`;
const mir = (loc: string, extra = '') => `[[registry.mirror]]\nlocation = "${loc}"\n${extra}`;
const ref = (hp: string, tail = ':v1') => `${hp}/lib/hello${tail}`;

export function oracleCases(W: OracleWorld): Case[] {
  return [
    {
      id: '01-tag', what: 'mirrors partly up: file order, first success wins', noVerify: true, expectOk: true,
      conf: () => reg(`${W.R2}/lib`) + mir(`${W.C.addr}/lib`) + mir(`${W.R1}/lib`) + mir(`${W.B.addr}/mirror/lib`),
      ref: () => `docker://${ref(W.R2)}`,
      expectTried: () => [ref(W.C.addr), ref(W.R1), `${W.B.addr}/mirror/lib/hello:v1`],
    },
    {
      id: '01-digest', what: 'mirrors partly up, digest reference', noVerify: true, expectOk: true,
      conf: () => reg(`${W.R2}/lib`) + mir(`${W.C.addr}/lib`) + mir(`${W.R1}/lib`) + mir(`${W.B.addr}/mirror/lib`),
      ref: () => `docker://${ref(W.R2, '@' + W.digest)}`,
      expectTried: () => [ref(W.C.addr, '@' + W.digest), ref(W.R1, '@' + W.digest), `${W.B.addr}/mirror/lib/hello@${W.digest}`],
    },
    {
      id: '02', what: 'all fail: Mirrors also failed wrapping', noVerify: true, expectOk: false,
      conf: () => reg(`${W.R2}/lib`) + mir(`${W.C.addr}/lib`) + mir(`${W.R1}/lib`),
      ref: () => `docker://${ref(W.R2)}`,
      expectTried: () => [ref(W.C.addr), ref(W.R1), ref(W.R2)],
    },
    {
      id: '03-tag', what: 'mirror-by-digest-only, tag: primary only, error unwrapped', noVerify: true, expectOk: false,
      conf: () => reg(`${W.R2}/lib`, 'mirror-by-digest-only = true\n') + mir(`${W.D.addr}/lib`),
      ref: () => `docker://${ref(W.R2)}`,
      expectTried: () => [ref(W.R2)],
    },
    {
      id: '03-digest', what: 'mirror-by-digest-only, digest: the mirror', noVerify: true, expectOk: true,
      conf: () => reg(`${W.R2}/lib`, 'mirror-by-digest-only = true\n') + mir(`${W.D.addr}/lib`),
      ref: () => `docker://${ref(W.R2, '@' + W.digest)}`,
      expectTried: () => [ref(W.D.addr, '@' + W.digest)],
    },
    {
      id: '04-tag', what: 'pull-from-mirror: tag skips the digest-only mirror', noVerify: true, expectOk: true,
      conf: () => reg(`${W.R2}/lib`) + mir(`${W.C.addr}/lib`, 'pull-from-mirror = "digest-only"\n') + mir(`${W.B.addr}/mirror/lib`, 'pull-from-mirror = "tag-only"\n') + mir(`${W.D.addr}/lib`),
      ref: () => `docker://${ref(W.R2)}`,
      expectTried: () => [`${W.B.addr}/mirror/lib/hello:v1`],
    },
    {
      id: '04-digest', what: 'pull-from-mirror: W.digest skips the tag-only mirror', noVerify: true, expectOk: true,
      conf: () => reg(`${W.R2}/lib`) + mir(`${W.C.addr}/lib`, 'pull-from-mirror = "digest-only"\n') + mir(`${W.B.addr}/mirror/lib`, 'pull-from-mirror = "tag-only"\n') + mir(`${W.D.addr}/lib`),
      ref: () => `docker://${ref(W.R2, '@' + W.digest)}`,
      expectTried: () => [ref(W.C.addr, '@' + W.digest), ref(W.D.addr, '@' + W.digest)],
    },
    {
      id: '05', what: 'blocked location', noVerify: true, expectOk: false,
      conf: () => reg(W.A.addr, 'blocked = true\n'),
      ref: () => `docker://${ref(W.A.addr)}`,
      expectTried: () => [ref(W.A.addr)],
    },
    {
      id: '06', what: 'blocked with a mirror: the mirror is used', noVerify: true, expectOk: true,
      conf: () => reg(W.A.addr, 'blocked = true\n') + mir(W.D.addr),
      ref: () => `docker://${ref(W.A.addr)}`,
      expectTried: () => [ref(W.D.addr)],
    },
    {
      id: '17', what: 'blocked, the mirror misses: blocked message as the primary error', noVerify: true, expectOk: false,
      conf: () => reg(W.A.addr, 'blocked = true\n') + mir(W.C.addr),
      ref: () => `docker://${ref(W.A.addr)}`,
      expectTried: () => [ref(W.C.addr), ref(W.A.addr)],
    },
    {
      id: '07', what: 'blocked entry remapped elsewhere blocks nothing', noVerify: true, expectOk: true,
      conf: () => pre(W.R2, W.A.addr, 'blocked = true\n'),
      ref: () => `docker://${ref(W.R2)}`,
      expectTried: () => [ref(W.A.addr)],
    },
    {
      id: '08', what: 'a mirror at a blocked location fails, the next one wins', noVerify: true, expectOk: true,
      conf: () => reg(`${W.R2}/lib`) + mir(`${W.A.addr}/lib`) + mir(`${W.D.addr}/lib`) + reg(W.A.addr, 'blocked = true\n'),
      ref: () => `docker://${ref(W.R2)}`,
      expectTried: () => [ref(W.A.addr), ref(W.D.addr)],
    },
    {
      id: '16', what: 'unblocked prefix remapped to a blocked location', noVerify: true, expectOk: false,
      conf: () => pre(`${W.R2}/lib`, `${W.A.addr}/lib`) + reg(W.A.addr, 'blocked = true\n'),
      ref: () => `docker://${ref(W.R2)}`,
      expectTried: () => [ref(W.A.addr)],
    },
    {
      id: '09', what: 'insecure per endpoint (no --tls-verify=false)', noVerify: false, expectOk: true,
      conf: () => reg(`${W.R2}/lib`) + mir(`${W.D.addr}/lib`) + mir(`${W.B.addr}/mirror/lib`, 'insecure = true\n'),
      ref: () => `docker://${ref(W.R2)}`,
      expectTried: () => [ref(W.D.addr), `${W.B.addr}/mirror/lib/hello:v1`],
    },
    {
      id: '18-mirror', what: "a mirror keeps its own insecure flag, not its location's entry", noVerify: false, expectOk: false,
      conf: () => reg(`${W.R2}/lib`) + mir(`${W.D.addr}/lib`) + reg(W.D.addr, 'insecure = true\n'),
      ref: () => `docker://${ref(W.R2)}`,
      expectTried: () => [ref(W.D.addr), ref(W.R2)],
    },
    {
      id: '18-direct', what: 'the same location pulled directly is insecure', noVerify: false, expectOk: true,
      conf: () => reg(`${W.R2}/lib`) + mir(`${W.D.addr}/lib`) + reg(W.D.addr, 'insecure = true\n'),
      ref: () => `docker://${ref(W.D.addr)}`,
      expectTried: () => [ref(W.D.addr)],
    },
    {
      id: '10-hit', what: 'wildcard prefix: a host-only mirror inherits the port', noVerify: true, expectOk: true,
      conf: () => `[[registry]]\nprefix = "*.0.0.1"\n` + mir('localhost'),
      ref: () => `docker://${ref(W.A.addr)}`,
      expectTried: () => [`localhost:${W.A.port}/lib/hello:v1`],
    },
    {
      id: '10-miss', what: 'wildcard prefix: mirror then the unchanged primary', noVerify: true, expectOk: false,
      conf: () => `[[registry]]\nprefix = "*.0.0.1"\n` + mir('localhost'),
      ref: () => `docker://${ref(W.C.addr)}`,
      expectTried: () => [`localhost:${W.C.port}/lib/hello:v1`, ref(W.C.addr)],
    },
    {
      id: '11', what: 'wildcard mirror with a path: the rewrite fails the whole pull', noVerify: true, expectOk: false,
      conf: () => `[[registry]]\nprefix = "*.0.0.1"\n` + mir(`${W.B.addr}/mirror`),
      ref: () => `docker://${ref(W.A.addr)}`,
      expectTried: () => [],
    },
    {
      id: '12', what: 'portless prefix matches a host with a port', noVerify: true, expectOk: true,
      conf: () => pre('127.0.0.1', 'localhost'),
      ref: () => `docker://${ref(W.A.addr)}`,
      expectTried: () => [`localhost:${W.A.port}/lib/hello:v1`],
    },
    {
      id: '14-tag', what: 'exact-repo prefix, bare location: tag rewrite error', noVerify: true, expectOk: false,
      conf: () => pre(`${W.R2}/lib/hello`, W.A.addr),
      ref: () => `docker://${ref(W.R2)}`,
      expectTried: () => [],
    },
    {
      id: '14-digest', what: 'exact-repo prefix, bare location: W.digest rewrite error', noVerify: true, expectOk: false,
      conf: () => pre(`${W.R2}/lib/hello`, W.A.addr),
      ref: () => `docker://${ref(W.R2, '@' + W.digest)}`,
      expectTried: () => [],
    },
    {
      id: '13-short', what: 'docker.io/library remapped (short form)', noVerify: true, expectOk: true,
      conf: () => pre('docker.io/library', `${W.A.addr}/lib`),
      ref: () => 'docker://hello:v1',
      expectTried: () => [ref(W.A.addr)],
    },
    {
      id: '13-long', what: 'docker.io/library remapped (docker.io/hello)', noVerify: true, expectOk: true,
      conf: () => pre('docker.io/library', `${W.A.addr}/lib`),
      ref: () => 'docker://docker.io/hello:v1',
      expectTried: () => [ref(W.A.addr)],
    },
    {
      id: '15', what: 'conflicting blocked keyed by location: config error', noVerify: true, expectOk: false,
      conf: () => pre(W.R2, W.A.addr) + reg(W.A.addr, 'blocked = true\n'),
      ref: () => `docker://${ref(W.R2)}`,
      expectTried: () => [], usageError: true,
    },

    // Beyond the findings: v1 files, user drop-ins and TLS, which also reach the wire.
    {
      id: 'v1-insecure', what: 'v1 [registries.insecure] makes the endpoint insecure', noVerify: false, expectOk: true,
      conf: () => `[registries.insecure]\nregistries = ["${W.A.addr}"]\n`,
      ref: () => `docker://${ref(W.A.addr)}`,
      expectTried: () => [ref(W.A.addr)],
    },
    {
      id: 'v1-block', what: 'v1 [registries.block] blocks the registry', noVerify: true, expectOk: false,
      conf: () => `[registries.block]\nregistries = ["${W.A.addr}"]\n`,
      ref: () => `docker://${ref(W.A.addr)}`,
      expectTried: () => [ref(W.A.addr)],
    },
    {
      id: 'v1-v2-mixed', what: 'mixing v1 and v2 is a config error', noVerify: true, expectOk: false,
      conf: () => `[registries.block]\nregistries = ["${W.A.addr}"]\n` + reg(W.D.addr),
      ref: () => `docker://${ref(W.A.addr)}`,
      expectTried: () => [], usageError: true,
    },
    {
      id: 'dropin-replaces', what: "a user drop-in replaces the main file's entry with the same prefix", noVerify: true, expectOk: true,
      conf: () => pre(`${W.R2}/lib`, `${W.R1}/lib`),
      dropIn: () => pre(`${W.R2}/lib`, `${W.R2}/lib`) + mir(`${W.D.addr}/lib`),
      ref: () => `docker://${ref(W.R2)}`,
      expectTried: () => [ref(W.D.addr)],
    },
    {
      id: 'dropin-blocked', what: 'blocked by a user drop-in: the message names the main file and the user dir', noVerify: true, expectOk: false,
      conf: () => reg(`${W.R2}/lib`),
      dropIn: () => reg(W.A.addr, 'blocked = true\n'),
      ref: () => `docker://${ref(W.A.addr)}`,
      expectTried: () => [ref(W.A.addr)],
    },
    {
      id: 'tls-unknown-ca', what: 'HTTPS registry with an unknown CA: the TLS error', noVerify: false, expectOk: false,
      // skopeo 1.9.3 is built with Go 1.19.8, whose crypto/tls returns the bare x509 error; Go >= 1.20 added the
      // "tls: failed to verify certificate: " prefix, which pullpath writes only with --compat 5.40.
      conf: () => '',
      ref: () => `docker://${ref(W.S.addr)}`,
      expectTried: () => [ref(W.S.addr)],
    },
    {
      id: 'tls-no-verify', what: 'HTTPS registry with an unknown CA and --tls-verify=false', noVerify: true, expectOk: true,
      conf: () => '',
      ref: () => `docker://${ref(W.S.addr)}`,
      expectTried: () => [ref(W.S.addr)],
    },
    {
      id: 'tls-trusted-ca', what: 'HTTPS registry, CA given with --cert-dir', noVerify: false, expectOk: true, trustCa: true,
      conf: () => '',
      ref: () => `docker://${ref(W.S.addr)}`,
      expectTried: () => [ref(W.S.addr)],
    },
    {
      id: 'tls-name-mismatch', what: 'HTTPS certificate for another name (CA trusted): the x509 name error', noVerify: false, expectOk: false, trustCa: true,
      // Go: `x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs`; pullpath
      // rewrites Node's ERR_TLS_CERT_ALTNAME_INVALID as Go's HostnameError (src/registry/network-error.ts).
      conf: () => '',
      ref: () => `docker://${ref(W.SN.addr)}`,
      expectTried: () => [ref(W.SN.addr)],
    },
    {
      id: 'auth-no-credentials', what: 'Basic-auth registry, no credentials', noVerify: true, expectOk: false,
      conf: () => '',
      ref: () => `docker://${ref(W.AUTH.addr)}`,
      expectTried: () => [ref(W.AUTH.addr)],
    },
    {
      id: 'auth-docker-config', what: 'Basic-auth registry, credentials in ~/.docker/config.json', noVerify: true, expectOk: true,
      conf: () => '',
      homeFiles: () => ({ '.docker/config.json': JSON.stringify({ auths: { [W.AUTH.addr]: { auth: Buffer.from(`${W.user}:${W.password}`).toString('base64') } } }) }),
      ref: () => `docker://${ref(W.AUTH.addr)}`,
      expectTried: () => [ref(W.AUTH.addr)],
    },
    {
      id: 'auth-wrong-password', what: 'Basic-auth registry, wrong password in ~/.config/containers/auth.json', noVerify: true, expectOk: false,
      conf: () => '',
      homeFiles: () => ({ '.config/containers/auth.json': JSON.stringify({ auths: { [W.AUTH.addr]: { auth: Buffer.from(`${W.user}:wrong`).toString('base64') } } }) }),
      ref: () => `docker://${ref(W.AUTH.addr)}`,
      expectTried: () => [ref(W.AUTH.addr)],
    },
    {
      id: 'tag-missing', what: 'repository present, tag missing', noVerify: true, expectOk: false,
      conf: () => '',
      ref: () => `docker://${ref(W.A.addr, ':v2')}`,
      expectTried: () => [ref(W.A.addr, ':v2')],
    },
    {
      id: 'localhost-not-insecure', what: 'localhost is not insecure by default (HTTPS first, no fallback)', noVerify: false, expectOk: false,
      conf: () => '',
      ref: () => `docker://localhost:${W.A.port}/lib/hello:v1`,
      expectTried: () => [`localhost:${W.A.port}/lib/hello:v1`],
    },
    {
      id: 'tls-name-and-ca', what: 'HTTPS certificate for another name from an unknown CA: which error wins', noVerify: false, expectOk: false,
      // Go's x509 Verify checks the host name before building the chain, so skopeo reports the name; Node's
      // TLS checks the chain first, and pullpath reports the unknown authority (src/registry/network-error.ts).
      knownGap: 'name-vs-CA order: skopeo names the host mismatch, pullpath the unknown authority (network-error.ts)',
      conf: () => '',
      ref: () => `docker://${ref(W.SN.addr)}`,
      expectTried: () => [ref(W.SN.addr)],
    },
    // Section 8: reference parse errors. No registry is needed, but a mis-parse would dial: every host is
    // loopback, and docker.io is remapped to a port where nothing listens.
    ...parseCase(W, '8-tag-and-digest', () => `127.0.0.1:${port(W.R1)}/foo:tag@${W.digest}`),
    ...parseCase(W, '8-uppercase', () => `127.0.0.1:${port(W.R1)}/Foo`),
    ...parseCase(W, '8-ipv6-literal', () => `[::1]:${port(W.R1)}/foo`),
    ...parseCase(W, '8-short-digest', () => `127.0.0.1:${port(W.R1)}/foo@sha256:abc`),
    ...parseCase(W, '8-64-hex-name', () => 'a'.repeat(64)),
  ];
}

function port(hp: string): string {
  return hp.slice(hp.lastIndexOf(':') + 1);
}
function parseCase(W: OracleWorld, id: string, r: () => string): Case[] {
  return [{ id, what: 'reference parse error, nothing tried', noVerify: true, expectOk: false, conf: () => pre('docker.io', W.R1), ref: () => `docker://${r()}`, expectTried: () => [], usageError: true }];
}

