/**
 * `node bin/pullpath.js verify` end to end against the real Debian docker-registry on loopback: a
 * disconnected setup (source blocked, digest-only mirror), each verdict, JSON Lines, JUnit, exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerRegistrySkipReason, freePort, pushImage, startDockerRegistry, tinyImage, HTPASSWD_PASSWORD, HTPASSWD_USER, type RunningRegistry } from '../helpers/docker-registry.ts';

const skip = dockerRegistrySkipReason();
if (skip) console.warn(`[verify-cli] skipped: ${skip}`);
const ROOT = join(import.meta.dirname, '../..');

let mirror: RunningRegistry;
let locked: RunningRegistry;
let dead: number;
let work: string;
let conf: string;
const present = tinyImage('verify-present');
const absent = tinyImage('verify-absent');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/pullpath.js'), 'verify', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: work, CI: 'true' }, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  if (skip) return;
  work = await mkdtemp(join(tmpdir(), 'pp-verify-'));
  [mirror, locked] = await Promise.all([startDockerRegistry(), startDockerRegistry({ htpasswd: true })]);
  await pushImage(mirror.url, 'ocp/release', 'v1', present);
  // Where an OCP release and its components live (quay.io/openshift-release-dev/ocp-release, …/ocp-v4.0-art-dev).
  await pushImage(mirror.url, 'ocp/ocp-release', 'v1', present);
  await pushImage(mirror.url, 'ocp/ocp-v4.0-art-dev', 'v1', present);
  await pushImage(locked.url, 'private/app', 'v1', present, { user: HTPASSWD_USER, password: HTPASSWD_PASSWORD });
  dead = await freePort();
  conf = join(work, 'registries.conf');
  await writeFile(
    conf,
    `[[registry]]
prefix = "quay.io/openshift-release-dev"
location = "quay.io/openshift-release-dev"
blocked = true
[[registry.mirror]]
location = "dead.example.com/ocp"
insecure = true
pull-from-mirror = "digest-only"
[[registry.mirror]]
location = "mirror.example.com/ocp"
insecure = true
pull-from-mirror = "digest-only"

[[registry]]
prefix = "quay.io/private"
location = "quay.io/private"
blocked = true
[[registry.mirror]]
location = "locked.example.com/private"
insecure = true
`,
  );
});
afterAll(async () => {
  await Promise.all([mirror?.stop(), locked?.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

const base = () => ['--registries-conf', conf, '--registries-conf-dir', join(work, 'none.d'), '--connect-to', `mirror.example.com:${mirror.addr}`, '--connect-to', `dead.example.com:127.0.0.1:${dead}`, '--connect-to', `locked.example.com:${locked.addr}`, '--timeout', '5'];

describe.skipIf(skip !== null)('pullpath verify against docker-registry', () => {
  it('passes a mirrored digest and exits 0, naming the mirror', async () => {
    const r = await cli([...base(), `quay.io/openshift-release-dev/release@${present.digest}`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`PASS  quay.io/openshift-release-dev/release@${present.digest}  via mirror.example.com/ocp`);
    expect(r.stdout).toMatch(/1 image\(s\): 1 served by a mirror, 0 would not be/);
  });

  it('reports each missing image with its reason as JSON Lines and JUnit, and exits 1', async () => {
    const list = join(work, 'release.txt');
    await writeFile(list, `# release payload\nrelease quay.io/openshift-release-dev/release@${present.digest}\nother quay.io/openshift-release-dev/other@${absent.digest}\n`);
    const junit = join(work, 'verify.xml');
    const r = await cli([...base(), '--release', list, '--check-blobs', '--output', 'json', '--junit', junit, 'quay.io/openshift-release-dev/release:v1']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const byImage = new Map(lines.filter((l) => l.type === 'verify').map((l) => [l.image, l]));
    expect(byImage.get(`quay.io/openshift-release-dev/release@${present.digest}`)).toMatchObject({ ok: true, location: 'mirror.example.com/ocp', digest: present.digest });
    // The first mirror is refused, the second has no such manifest: the most telling reason wins.
    expect(byImage.get(`quay.io/openshift-release-dev/other@${absent.digest}`)).toMatchObject({ ok: false, reason: 'not-mirrored' });
    expect(byImage.get('quay.io/openshift-release-dev/release:v1')).toMatchObject({ ok: false, reason: 'tag-on-digest-only' });
    expect(lines.at(-1)).toMatchObject({ type: 'summary', total: 3, passed: 1, failed: 2, byReason: { 'not-mirrored': 1, 'tag-on-digest-only': 1 } });
    const xml = await readFile(junit, 'utf8');
    expect(xml).toMatch(/<testsuite name="verify" tests="3" failures="2"/);
    expect(xml).toContain('type="not-mirrored"');
  });

  it('fails with reason auth when the mirror wants credentials the node does not have, and passes with them', async () => {
    const ref = `quay.io/private/app@${present.digest}`;
    const denied = await cli([...base(), '--output', 'json', ref]);
    expect(denied.code).toBe(1);
    expect(JSON.parse(denied.stdout.split('\n')[0]!)).toMatchObject({ ok: false, reason: 'auth' });
    const authfile = join(work, 'auth.json');
    const token = Buffer.from(`${HTPASSWD_USER}:${HTPASSWD_PASSWORD}`).toString('base64');
    await writeFile(authfile, JSON.stringify({ auths: { 'locked.example.com': { auth: token } } }));
    const allowed = await cli([...base(), '--authfile', authfile, '--output', 'json', ref]);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).not.toContain(HTPASSWD_PASSWORD);
    expect(allowed.stdout).not.toContain(token);
  });

  it('reads the whole `oc adm release info` output: the release and its components, header skipped and counted', async () => {
    const list = join(work, 'release-info.txt');
    await writeFile(list, [
      'Name:      4.14.0', `Digest:    ${present.digest}`, 'Created:   2023-10-31T08:22:11Z', 'OS/Arch:   linux/amd64', 'Manifests: 647', '',
      `Pull From: quay.io/openshift-release-dev/ocp-release@${present.digest}`, '',
      'Release Metadata:', '  Version:  4.14.0', '  Upgrades: 4.13.17, 4.13.18', '  Metadata:', '    url: https://access.redhat.com/errata/RHSA-2023:5006', '',
      'Component Versions:', '  kubernetes 1.27.6', '',
      'Images:', '  NAME                DIGEST', `  cli                 ${present.digest}`, `  tests               ${absent.digest}`, '',
    ].join('\n'));
    const r = await cli([...base(), '--release', list, '--output', 'json']);
    expect(r.stderr).not.toContain('is not pinned by digest');
    expect(r.stderr).toContain(`${list}: 3 image(s) read, 14 header line(s) skipped`);
    expect(r.stderr).toContain('component digests taken from quay.io/openshift-release-dev/ocp-v4.0-art-dev');
    expect(r.code).toBe(1);
    const verdicts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.type === 'verify');
    const ok = new Map(verdicts.map((v) => [v.image, v.ok]));
    expect(ok).toEqual(new Map([
      [`quay.io/openshift-release-dev/ocp-release@${present.digest}`, true],
      [`quay.io/openshift-release-dev/ocp-v4.0-art-dev@${present.digest}`, true],
      [`quay.io/openshift-release-dev/ocp-v4.0-art-dev@${absent.digest}`, false],
    ]));
    expect(verdicts.find((v) => v.ok === false)).toMatchObject({ reason: 'not-mirrored' });
  });

  it('--debug writes the runtime\'s lines for each source tried and an HTTP trace to stderr', async () => {
    const ref = `quay.io/openshift-release-dev/release@${present.digest}`;
    const r = await cli([...base(), '--debug', ref]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`level=debug msg="Trying to access \\"dead.example.com/ocp/release@${present.digest}\\""`);
    expect(r.stderr).toContain(`level=debug msg="Accessing \\"dead.example.com/ocp/release@${present.digest}\\" failed: pinging container registry dead.example.com:`);
    expect(r.stderr).toContain(`level=debug msg="Trying to access \\"mirror.example.com/ocp/release@${present.digest}\\""`);
    expect(r.stderr).toMatch(/level=debug msg="HTTP GET http:\/\/mirror\.example\.com\/v2\/ocp\/release\/manifests\/sha256:[0-9a-f]{64} -> 200 OK in /);
    expect(r.stdout).toContain('PASS');
  });

  it('refuses a tag in a release list with the file and line (exit 2)', async () => {
    const list = join(work, 'bad.txt');
    await writeFile(list, 'quay.io/openshift-release-dev/release:v1\n');
    const r = await cli([...base(), '--release', list]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.txt:1: "quay\.io\/openshift-release-dev\/release:v1" is not pinned by digest/);
  });
});
