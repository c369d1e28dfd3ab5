/**
 * The GPG signature oracle (issue 12): the real skopeo 1.9.3 (containers/image 5.23.1, gpgme) and pullpath's
 * signedBy verifier judge the same images, signed with real `gpg` keys by skopeo itself (`copy --sign-by`,
 * `standalone-sign`), stored in file:// lookaside stores named by one registries.d directory, served by real
 * docker-registry instances on 127.0.0.1. For each case both must agree on the verdict and on the error text
 * (skopeo's after its "Source image rejected: " prefix), and pullpath's error class is checked.
 *
 * pullpath's side is `pullpath pull --policy … --registries.d …`, the real engine: the source that served the
 * image, the lookaside registries.d names for that PHYSICAL source, the requirement policy.json selects for the
 * LOGICAL name, then the signature step (src/signature/check-image.ts).
 *
 * The policy lists two keys (keyPaths). Cases: accepted; unsigned; altered signature bytes; wrong key; signing subkey; wrong identity; tampered digest; two bad signatures; signature
 * only on the source while a mirror served the image; signature on the mirror's store (accepted: the
 * identity is the pulled name, not the mirror's).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerRegistrySkipReason, freePort, pushImage, startDockerRegistry, tinyImage, type RunningRegistry } from '../helpers/docker-registry.ts';
import { cleanEnv, logrusMsg, runPullpathPull, SKOPEO_BIN, skopeoSkipReason } from '../helpers/skopeo.ts';
import { createGpgHome, gpgSkipReason, type GpgHome } from '../helpers/gpg.ts';
import type { SignatureErrorClass } from '../../src/signature/types.ts';

const skip = skopeoSkipReason() ?? dockerRegistrySkipReason() ?? gpgSkipReason();
if (skip) console.warn(`[skopeo-gpg-oracle] skipped: ${skip}`);

let work: string;
let home: string;
let gpg: GpgHome;
let A: RunningRegistry; // the source
let M: RunningRegistry; // a mirror of A/viamirror
let K: string; // trusted key
let O: string; // another key, not in the policy
let S: string; // a trusted key (in the policy) that signs with a subkey
const img = tinyImage('gpg oracle image');
const hex = img.digest.slice('sha256:'.length);
let conf: string;
let policy: string;
let regD: string;
/** Other registries.d dirs, by case: scope without port, wildcard scope, http lookaside, unreachable http lookaside. */
const regDs: Record<string, string> = {};
let sigServer: Server;

function exec(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env, timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(new Error(`${bin} ${args.join(' ')}: ${err.message}\n${stderr}`));
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}
const skopeo = async (args: string[]) => {
  const r = await exec(SKOPEO_BIN, ['--registries-conf', conf, '--registries.d', regD, ...args], gpg.env);
  if (r.code !== 0) throw new Error(`skopeo ${args.join(' ')} failed: ${r.stderr}`);
};
/** `skopeo standalone-sign` of `manifest` for `identity` by `fpr`, stored as signature-N of `store/path`. */
async function placeSignature(store: string, path: string, n: number, identity: string, fpr: string, manifest = img.manifest): Promise<void> {
  const dir = join(store, `${path}@sha256=${hex}`);
  await mkdir(dir, { recursive: true });
  const mf = join(work, `m-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(mf, manifest);
  await skopeo(['standalone-sign', '-o', join(dir, `signature-${n}`), mf, identity, fpr]);
}

beforeAll(async () => {
  if (skip) return;
  work = await mkdtemp(join(tmpdir(), 'pp-gpg-oracle-'));
  home = join(work, 'home');
  await mkdir(home);
  gpg = await createGpgHome(work, cleanEnv(home));
  [A, M] = await Promise.all([startDockerRegistry(), startDockerRegistry()]);
  K = await gpg.genKey('Trusted Signer <trusted@example.com>');
  O = await gpg.genKey('Other Signer <other@example.com>');
  S = await gpg.genKeyWithSigningSubkey('Subkey Signer <subkey@example.com>');
  await writeFile(join(work, 'trusted.gpg'), await gpg.exportKey(K));
  await writeFile(join(work, 'subkey-signer.gpg'), await gpg.exportKey(S));
  const sigsA = join(work, 'sigsA');
  const sigsM = join(work, 'sigsM');
  regD = join(work, 'registries.d');
  await mkdir(regD);
  // Scopes are the PHYSICAL hosts; "127.0.0.1" alone would not cover "127.0.0.1:PORT".
  await writeFile(join(regD, 'lookaside.yaml'), `docker:\n  ${A.addr}:\n    lookaside: file://${sigsA}\n  ${M.addr}:\n    lookaside: file://${sigsM}\n`);
  // A plain http lookaside serving sigsA (404 for what is missing), on loopback.
  sigServer = createServer((req, res) => {
    readFile(join(sigsA, decodeURIComponent(new URL(req.url!, 'http://x').pathname))).then(
      (b) => res.end(b),
      () => {
        res.statusCode = 404;
        res.end();
      },
    );
  });
  await new Promise<void>((r) => sigServer.listen(0, '127.0.0.1', r));
  const sigPort = (sigServer.address() as { port: number }).port;
  const deadPort = await freePort();
  const variants: Record<string, string> = {
    'host-no-port': `docker:\n  '127.0.0.1':\n    lookaside: file://${sigsA}\n`,
    wildcard: `docker:\n  '*.0.1':\n    lookaside: file://${sigsA}\n`,
    http: `docker:\n  ${A.addr}:\n    lookaside: http://127.0.0.1:${sigPort}\n`,
    'http-down': `docker:\n  ${A.addr}:\n    lookaside: http://127.0.0.1:${deadPort}\n`,
  };
  for (const [name, text] of Object.entries(variants)) {
    regDs[name] = join(work, `registries.d-${name}`);
    await mkdir(regDs[name]!);
    await writeFile(join(regDs[name]!, 'lookaside.yaml'), text);
  }
  conf = join(work, 'registries.conf');
  await writeFile(
    conf,
    `[[registry]]\nlocation = "${A.addr}"\ninsecure = true\n\n[[registry]]\nprefix = "${A.addr}/viamirror"\nlocation = "${A.addr}/viamirror"\ninsecure = true\n[[registry.mirror]]\nlocation = "${M.addr}/viamirror"\ninsecure = true\n`,
  );
  policy = join(work, 'policy.json');
  await writeFile(
    policy,
    JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }], transports: { docker: { [A.addr]: [{ type: 'signedBy', keyType: 'GPGKeys', keyPaths: [join(work, 'trusted.gpg'), join(work, 'subkey-signer.gpg')] }] } } }),
  );
  await Promise.all([
    ...['lib/hello', 'lib/unsigned', 'lib/badsig', 'lib/subkey', 'lib/garbage', 'lib/wrongid', 'lib/tampered', 'lib/twobad', 'viamirror/srconly', 'viamirror/both'].map((p) => pushImage(A.url, p, 'v1', img)),
    ...['viamirror/srconly', 'viamirror/both'].map((p) => pushImage(M.url, p, 'v1', img)),
  ]);
  // skopeo signs while copying (writes to the A scope's lookaside): accepted, and wrong key.
  await skopeo(['copy', '--sign-by', K, `docker://${A.addr}/lib/hello:v1`, `docker://${A.addr}/lib/good:v1`]);
  await skopeo(['copy', '--sign-by', O, `docker://${A.addr}/lib/hello:v1`, `docker://${A.addr}/lib/wrongkey:v1`]);
  await placeSignature(sigsA, 'lib/subkey', 1, `${A.addr}/lib/subkey:v1`, S);
  await placeSignature(sigsA, 'lib/wrongid', 1, `${A.addr}/lib/someone-else:v1`, K);
  await placeSignature(sigsA, 'lib/tampered', 1, `${A.addr}/lib/tampered:v1`, K, tinyImage('another image').manifest);
  await placeSignature(sigsA, 'lib/twobad', 1, `${A.addr}/lib/twobad:v2`, K);
  await placeSignature(sigsA, 'lib/twobad', 2, `${A.addr}/lib/twobad:v1`, O);
  // a signature whose signed bytes were altered after signing (uncompressed, so the JSON is visible to alter)
  await writeFile(join(gpg.home, 'gpg.conf'), 'compress-algo none\n');
  await placeSignature(sigsA, 'lib/badsig', 1, `${A.addr}/lib/badsig:v1`, K);
  await rm(join(gpg.home, 'gpg.conf'));
  const badFile = join(sigsA, `lib/badsig@sha256=${hex}`, 'signature-1');
  const bad = await readFile(badFile);
  const at = bad.indexOf('lib/badsig:v1');
  if (at < 0) throw new Error('uncompressed signature expected');
  bad[at + 4] = 'B'.charCodeAt(0);
  await writeFile(badFile, bad);
  // not an OpenPGP message at all
  await mkdir(join(sigsA, `lib/garbage@sha256=${hex}`), { recursive: true });
  await writeFile(join(sigsA, `lib/garbage@sha256=${hex}`, 'signature-1'), 'this is not a signature\n');
  // signed only on the source's store, though the mirror serves it
  await placeSignature(sigsA, 'viamirror/srconly', 1, `${A.addr}/viamirror/srconly:v1`, K);
  // signed on the mirror's store, for the LOGICAL name
  await placeSignature(sigsM, 'viamirror/both', 1, `${A.addr}/viamirror/both:v1`, K);
}, 120_000);

afterAll(async () => {
  if (skip) return;
  await Promise.all([A, M].filter(Boolean).map((r) => r.stop()));
  if (sigServer) await new Promise((r) => sigServer.close(r));
  if (gpg) await gpg.stopAgent();
  if (work) await rm(work, { recursive: true, force: true });
});

interface Case {
  id: string;
  path: string;
  ok: boolean;
  errorClass?: SignatureErrorClass;
  /** The served source, as a registry address (A or M). */
  servedBy: 'A' | 'M';
  /** A registries.d variant (see regDs) instead of the main one. */
  regD?: string;
}
const CASES: Case[] = [
  { id: 'accepted', path: 'lib/good', ok: true, servedBy: 'A' },
  { id: 'unsigned', path: 'lib/unsigned', ok: false, errorClass: 'signature-missing', servedBy: 'A' },
  { id: 'not an OpenPGP message', path: 'lib/garbage', ok: false, errorClass: 'signature-invalid', servedBy: 'A' },
  { id: 'wrong key', path: 'lib/wrongkey', ok: false, errorClass: 'untrusted-key', servedBy: 'A' },
  { id: 'altered signature', path: 'lib/badsig', ok: false, errorClass: 'signature-invalid', servedBy: 'A' },
  // 5.23 trusts the imported PRIMARY fingerprints, gpgme names the signing subkey: rejected although the key is in the policy.
  { id: 'signed by a subkey of a policy key', path: 'lib/subkey', ok: false, errorClass: 'untrusted-key', servedBy: 'A' },
  { id: 'wrong identity', path: 'lib/wrongid', ok: false, errorClass: 'identity-mismatch', servedBy: 'A' },
  { id: 'tampered digest', path: 'lib/tampered', ok: false, errorClass: 'signature-invalid', servedBy: 'A' },
  { id: 'two bad signatures', path: 'lib/twobad', ok: false, errorClass: 'signature-invalid', servedBy: 'A' },
  { id: 'mirror served, signature only on the source', path: 'viamirror/srconly', ok: false, errorClass: 'signature-missing', servedBy: 'M' },
  { id: 'mirror served, signature on the mirror store', path: 'viamirror/both', ok: true, servedBy: 'M' },
  // registries.d scopes: "HOST" does not cover "HOST:PORT" (built-in default store: nothing there); "*.0.1" does.
  { id: 'registries.d scope without the port', path: 'lib/good', ok: false, errorClass: 'signature-missing', servedBy: 'A', regD: 'host-no-port' },
  { id: 'registries.d wildcard scope', path: 'lib/good', ok: true, servedBy: 'A', regD: 'wildcard' },
  { id: 'http lookaside', path: 'lib/good', ok: true, servedBy: 'A', regD: 'http' },
  { id: 'http lookaside unreachable', path: 'lib/good', ok: false, errorClass: 'signature-missing', servedBy: 'A', regD: 'http-down' },
];

/** skopeo's fatal error after "Source image rejected: ", or null on success. */
async function skopeoVerdict(ref: string, dir: string): Promise<{ ok: boolean; error: string | null }> {
  const out = join(work, `out-${Math.random().toString(36).slice(2)}`);
  const r = await exec(SKOPEO_BIN, ['--registries-conf', conf, '--registries.d', dir, '--policy', policy, 'copy', `docker://${ref}`, `dir:${out}`], gpg.env);
  let error: string | null = null;
  for (const line of r.stderr.split('\n')) if (line.includes('level=fatal')) error = (logrusMsg(line) ?? line).replace(/^Source image rejected: /, '');
  return { ok: r.code === 0, error };
}

/**
 * `pullpath pull` with the same registries.conf, policy.json and registries.d: the real engine, whose signature
 * step reads the lookaside of the source that served the image and verifies (src/signature/check-image.ts).
 */
async function pullpathVerdict(ref: string, dir: string): Promise<{ check: { ok: boolean; error: string | null; errorClass: string | null }; served: string }> {
  const pulled = await runPullpathPull({ conf, ref: `docker://${ref}`, home, extraArgs: ['--policy', policy, '--registries.d', dir] });
  const served = pulled.source ?? '';
  expect(served, pulled.stderr + pulled.stdout).not.toBe('');
  const error = pulled.ok ? null : (pulled.error ?? '').replace(/^Source image rejected: /, '');
  return { check: { ok: pulled.ok, error, errorClass: pulled.ok ? null : (pulled.errorClass ?? null) }, served };
}

/**
 * gpgme's failure text is `Invalid GPG signature: %#v` of its Signature struct, with timestamps inside:
 * compared up to and including its Status field (summary, issuer fingerprint, gpg error code).
 */
const comparable = (e: string | null) => (e === null ? null : e.replace(/(Invalid GPG signature: gpgme\.Signature\{Summary:\d+, Fingerprint:"[0-9A-F]*", Status:gpgme\.Error\{err:0x[0-9a-f]+\})[^;]*/g, '$1…'));

describe.skipIf(skip !== null)('skopeo 1.9.3 vs pullpath: GPG signedBy', () => {
  for (const c of CASES) {
    it(c.id, async () => {
      const ref = `${A.addr}/${c.path}:v1`;
      const dir = c.regD ? regDs[c.regD]! : regD;
      const [sk, pp] = await Promise.all([skopeoVerdict(ref, dir), pullpathVerdict(ref, dir)]);
      expect(pp.served.startsWith((c.servedBy === 'A' ? A : M).addr + '/')).toBe(true);
      // The runtime's verdict first: the case must mean what it says.
      expect(sk.ok).toBe(c.ok);
      expect({ ok: pp.check.ok, error: comparable(pp.check.error ?? null) }).toEqual({ ok: sk.ok, error: comparable(sk.error) });
      if (!c.ok) expect(pp.check.errorClass).toBe(c.errorClass);
      // Record for the notes table.
      console.log(`[gpg-oracle] ${c.id} | served by ${pp.served} | skopeo: ${sk.ok ? 'accepted' : sk.error} | pullpath: ${pp.check.ok ? 'accepted' : `${pp.check.errorClass}: ${pp.check.error}`}`);
    }, 60_000);
  }
  it('the trusted key file is what the policy names (sanity)', async () => {
    expect((await readFile(join(work, 'trusted.gpg'))).length).toBeGreaterThan(0);
  });
});
