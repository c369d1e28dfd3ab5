/**
 * Every `--output json` producer, run for real, checked against its JSON Schema in schemas/ (one schema
 * per command, one vocabulary: schemas/defs.schema.json). And reports in input order: with --jobs > 1
 * and a mock that answers the FIRST image slowest, verify, pull and probe still list it first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import { hermeticEnv, runCli, type CliResult } from '../helpers/run-cli.ts';
import { checkJsonLines, schemaNames } from '../helpers/json-schemas.ts';

const SLOW_MS = 1500;
const img = (repository: string) => ({ repository, tags: ['1'], content: repository });
const IMAGES = ['slow', 'a', 'b', 'missing'].map((n) => `source.example.com/org/${n}:1`);

let mocks: MockRegistrySet;
let work: string;
let conf: string;
const covered = new Set<string>();

function connectTo(): string[] {
  const addr = (h: string) => mocks.get(h)!.address;
  return ['--connect-to', `mirror.example.com:${addr('mirror.example.com')}`, '--connect-to', `source.example.com:${addr('source.example.com')}`, '--connect-to', `digests.example.com:${addr('mirror.example.com')}`];
}
const configFlags = () => ['--registries-conf', conf, '--registries-conf-dir', join(work, 'none.d')];
const cli = (args: string[]): Promise<CliResult> => runCli(args, { env: hermeticEnv(work), timeoutMs: 60_000 });

/** Validates the output against the schema and returns the records. */
function records(schema: string, r: CliResult): Record<string, unknown>[] {
  const { records: recs, failures } = checkJsonLines(schema, r.stdout);
  expect(failures, `${schema}: stderr: ${r.stderr}`).toEqual([]);
  covered.add(schema);
  return recs;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pp-schemas-'));
  mocks = await startMockRegistries([
    // The first image is the slowest on the mirror, so with --jobs > 1 it finishes last.
    { host: 'mirror.example.com', images: [img('org/slow'), img('org/a'), img('org/b')], faults: [{ kind: 'latency', ms: SLOW_MS, route: 'manifest', repository: 'org/slow' }] },
    { host: 'source.example.com', images: [img('org/slow'), img('org/a'), img('org/b')] },
  ]);
  conf = join(work, 'registries.conf');
  await writeFile(
    conf,
    `[[registry]]
prefix = "source.example.com/org"
location = "source.example.com/org"
insecure = true
[[registry.mirror]]
location = "digests.example.com/org"
insecure = true
pull-from-mirror = "digest-only"
[[registry.mirror]]
location = "mirror.example.com/org"
insecure = true
`,
  );
}, 60_000);
afterAll(async () => {
  await mocks?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('JSON output matches its schema', () => {
  it('resolve: one record per ARG in order, with what to do', async () => {
    const r = await cli(['resolve', ...configFlags(), '--output', 'json', ...IMAGES, 'docker://Bad']);
    expect(r.code).toBe(1);
    const recs = records('resolve', r);
    expect(recs.map((x) => x.image)).toEqual([...IMAGES, 'docker://Bad']);
    expect((recs[0]!.whatToDo as { text: string }[])[0]!.text).toMatch(/^pin by digest, or add an ImageTagMirrorSet/);
  });

  it('resolve with proxy variables: each source has its proxy route, credentials hidden', async () => {
    const env = { ...hermeticEnv(work), HTTPS_PROXY: 'http://pxuser:px-secret-91@proxy.corp:3128', HTTP_PROXY: '', http_proxy: '', NO_PROXY: 'mirror.example.com', no_proxy: '' };
    const r = await runCli(['resolve', ...configFlags(), '--output', 'json', IMAGES[1]!], { env, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const recs = records('resolve', r);
    const routes = (recs[0]!.sources as { location: string; proxy: { https: { via: string | null; reason: string }; http: { via: string | null; reason: string } | null } }[]).map((s) => [s.location, s.proxy.https.via, s.proxy.https.reason, s.proxy.http?.reason ?? null]);
    expect(routes).toEqual([
      // Go looks for a proxy variable before NO_PROXY: without HTTP_PROXY the http fallback is direct for that reason.
      ['mirror.example.com/org', null, 'NO_PROXY entry `mirror.example.com`', 'no HTTP_PROXY/http_proxy set'],
      ['source.example.com/org', 'http://***@proxy.corp:3128', 'HTTPS_PROXY', 'no HTTP_PROXY/http_proxy set'],
    ]);
    expect(r.stdout + r.stderr).not.toContain('px-secret-91');
  });

  it('pull --jobs 4: images in input order although the first finishes last', async () => {
    // An auth file entry for the mirror host: each attempt says which credentials it used (never the password).
    const authFile = join(work, 'auth.json');
    await writeFile(authFile, JSON.stringify({ auths: { 'mirror.example.com': { auth: Buffer.from('e2e-user:e2e-Secret-pw').toString('base64') } } }));
    const r = await cli(['pull', ...configFlags(), ...connectTo(), '--authfile', authFile, '--jobs', '4', '--timeout', '10', '--output', 'json', ...IMAGES]);
    expect(r.code).toBe(1);
    const recs = records('pull', r);
    expect(r.stdout + r.stderr).not.toContain('e2e-Secret-pw');
    const creds = recs.filter((x) => x.type === 'attempt' && x.image === IMAGES[3]).map((x) => x.credentials as { kind: string; key?: string; username?: string });
    expect(creds).toEqual([expect.objectContaining({ kind: 'auth-file', key: 'mirror.example.com', username: 'e2e-user' }), expect.objectContaining({ kind: 'none' })]);
    const results = recs.filter((x) => x.type === 'result');
    expect(results.map((x) => x.image)).toEqual(IMAGES);
    // The slow image really did finish last (what makes the order check meaningful).
    expect(Math.max(...results.map((x) => (x.atMs as number)))).toBe(results[0]!.atMs);
    // Each image's records stay together: image, attempts, result.
    expect(recs.map((x) => x.image)).toEqual([...recs.map((x) => x.image)].sort((p, q) => IMAGES.indexOf(p as string) - IMAGES.indexOf(q as string)));
    const missing = results[3] as { ok: boolean; whatToDo: { subject: string; topic: string }[] };
    expect(missing.ok).toBe(false);
    expect(missing.whatToDo.map((f) => [f.subject, f.topic])).toEqual([
      ['digests.example.com/org (skipped)', 'tag-on-digest-only'], ['mirror.example.com/org', 'not-found'], ['source.example.com/org', 'not-found'],
    ]);
  }, 60_000);

  it('verify --jobs 4: verdicts in input order although the first finishes last; summary last', async () => {
    const r = await cli(['verify', ...configFlags(), ...connectTo(), '--jobs', '4', '--timeout', '10', '--output', 'json', ...IMAGES]);
    expect(r.code).toBe(1);
    const recs = records('verify', r);
    expect(recs.map((x) => x.image ?? x.type)).toEqual([...IMAGES, 'summary']);
    expect((recs[0]!.attempts as { credentials?: { kind: string } }[])[0]!.credentials?.kind).toBe('none');
    expect(recs[0]).toMatchObject({ ok: true, source: 'mirror.example.com/org/slow:1', location: 'mirror.example.com/org' });
    expect(recs[3]).toMatchObject({ ok: false, reason: 'not-mirrored', whatToDo: [{ topic: 'not-found' }] });
    // Text lists them in the same order.
    const text = await cli(['verify', ...configFlags(), ...connectTo(), '--jobs', '4', '--timeout', '10', ...IMAGES]);
    expect(text.stdout.split('\n').filter((l) => /^(PASS|FAIL) /.test(l)).map((l) => l.split(/\s+/)[1])).toEqual(IMAGES);
  }, 60_000);

  it('probe: endpoints in config order although a mirror answers last', async () => {
    const r = await cli(['probe', ...configFlags(), ...connectTo(), '--concurrency', '4', '--timeout', '10', '--canary', `source.example.com/org=${IMAGES[0]}`, '--output', 'json']);
    const recs = records('probe', r);
    const probes = recs.filter((x) => x.type === 'probe');
    expect(probes.map((x) => x.location)).toEqual(['digests.example.com/org', 'mirror.example.com/org', 'source.example.com/org']);
    // The mirror's manifest step waited for the slow canary: the other probes finished before it.
    const manifest = (probes[1]!.steps as { step: string; durationMs: number }[]).find((x) => x.step === 'manifest')!;
    expect(manifest.durationMs).toBeGreaterThanOrEqual(SLOW_MS - 50);
    expect(recs.at(-1)!.type).toBe('pass');
  }, 60_000);

  it('policy: one record per reference, in order', async () => {
    const policy = join(work, 'policy.json');
    await writeFile(policy, JSON.stringify({ default: [{ type: 'reject' }], transports: { docker: { 'source.example.com': [{ type: 'insecureAcceptAnything' }] } } }));
    const r = await cli(['policy', '--policy', policy, '--output', 'json', IMAGES[0]!, 'docker.io/library/busybox']);
    expect(r.code).toBe(1);
    expect(records('policy', r).map((x) => [x.image, x.normalized, x.verdict])).toEqual([
      [IMAGES[0], IMAGES[0], 'allowed'],
      ['docker.io/library/busybox', 'docker.io/library/busybox:latest', 'rejected'],
    ]);
  });

  it('lint, render: findings and files', async () => {
    records('lint', await cli(['lint', '--registries-conf', 'test/fixtures/config/mirror-key-misplaced.conf', '--registries-conf-dir', join(work, 'none.d'), '--output', 'json']));
    // Rendered findings name the cluster object they come from.
    const fromCluster = records('lint', await cli(['lint', '--openshift', 'test/fixtures/openshift/docs-blocked.yaml', '--output', 'json']));
    expect(fromCluster.map((x) => x.renderedFrom)).toContainEqual([expect.objectContaining({ object: 'Image/cluster', file: 'test/fixtures/openshift/docs-blocked.yaml' })]);
    const rendered = records('render', await cli(['render', 'openshift', 'test/fixtures/openshift/docs-blocked.yaml', '--output', 'json']));
    expect(rendered.filter((x) => x.type === 'file')).toHaveLength(4);
  });

  it('diff: changed images, node files, impact and a summary', async () => {
    const after = join(work, 'after.conf');
    await writeFile(after, `[[registry]]
prefix = "source.example.com/org"
location = "source.example.com/org"
insecure = true
[[registry.mirror]]
location = "mirror.example.com/org"
insecure = true
[[registry]]
location = "docker.io"
blocked = true
`);
    const r = await cli(['diff', conf, after, '--output', 'json', '--fail-on', 'source-removed']);
    expect(r.code).toBe(1);
    const recs = records('diff', r);
    expect(recs.filter((x) => x.type === 'image').map((x) => x.changes)).toContainEqual(['source-removed']);
    expect(recs.at(-1)).toMatchObject({ type: 'summary', synthetic: true, nodeAction: 'drain-reload' });
    // A cluster object against a node's files, rendered: origins name the object.
    const os = records('diff', await cli(['diff', '--before-registries-conf', conf, '--after-openshift', 'test/fixtures/openshift/docs-blocked.yaml', '--output', 'json']));
    expect(os.filter((x) => x.type === 'image').map((x) => (x.after as { registry: { origin: string } | null }).registry?.origin)).toContainEqual(expect.stringMatching(/^Image\/cluster .*\(rendered\)$/));
  });

  it('scenario run and mock', async () => {
    const s = records('scenario', await cli(['scenario', 'run', 'scenarios/insecure-http-mirror.toml', '--no-tui', '--output', 'json']));
    expect(s.at(-1)!.type).toBe('scenario');
    // Pull results with a signature step (verified and rejected), and a mock record with policy/registries.d/key files.
    const signed = records('scenario', await cli(['scenario', 'run', 'scenarios/remap-identity-mirror-path.toml', '--no-tui', '--output', 'json']));
    expect(signed.filter((x) => x.type === 'pull').map((x) => (x.result as { signatures?: { ok: boolean } }).signatures?.ok)).toEqual([true, false]);
    records('mock', await cli(['mock', 'test/fixtures/scenario/mock-only.toml', '--duration', '0.5', '--output', 'json']));
    const m = records('mock', await cli(['mock', 'scenarios/signed-release-mirror.toml', '--duration', '0.5', '--output', 'json']));
    expect(m[0]).toMatchObject({ policy: expect.stringMatching(/policy\.json$/), registriesD: expect.stringMatching(/registries\.d$/), sigstoreKey: expect.stringMatching(/sigstore\.pub$/) });
    const g = records('mock', await cli(['mock', 'scenarios/gpg-signatures-not-mirrored.toml', '--duration', '0.5', '--output', 'json']));
    expect(g[0]).toMatchObject({ sigstoreKey: null, gpgKey: expect.stringMatching(/gpg\.pub$/) });
  }, 60_000);

  it('load: one record, endpoints named by location', async () => {
    const [rec] = records('load', await cli(['load', '--scenario', 'scenarios/mirror-outage-timeline.toml', '--duration', '1', '--rate', '20', '--output', 'json']));
    expect(rec!.type).toBe('load');
    expect((rec!.perEndpoint as { location: string }[]).map((e) => e.location)).toContain('mirror.corp.example.com:5000/acme');
  }, 60_000);

  it('load --shard and load merge: shard records (histograms, recorder) and the merged record', async () => {
    const files: string[] = [];
    for (const i of [0, 1]) {
      const r = await cli(['load', '--scenario', 'scenarios/mirror-outage-timeline.toml', '--shard', `${i}/2`, '--max-requests', '8', '--duration', '0', '--rate', '40', '--output', 'json']);
      const [rec] = records('load', r);
      expect(rec).toMatchObject({ shard: { index: i, count: 2 }, recorder: { version: 1, requests: 4 } });
      files.push(join(work, `shard-${i}.json`));
      await writeFile(files.at(-1)!, r.stdout);
    }
    const [merged] = records('load', await cli(['load', 'merge', '--output', 'json', ...files]));
    expect(merged).toMatchObject({ requests: 8, shards: { count: 2, merged: [0, 1], missing: [] } });
  }, 60_000);

  it('explain: one record per error, with the configuration\'s chain beside the attempts', async () => {
    const event =
      'Failed to pull image "source.example.com/org/missing:1": rpc error: code = Unknown desc = (Mirrors also failed: ' +
      '[mirror.example.com/org/missing:1: reading manifest 1 in mirror.example.com/org/missing: manifest unknown: manifest unknown]): ' +
      'source.example.com/org/missing:1: reading manifest 1 in source.example.com/org/missing: manifest unknown: manifest unknown';
    const r = await cli(['explain', ...configFlags(), '--output', 'json', event]);
    expect(r.code).toBe(0);
    const recs = records('explain', r);
    expect(recs).toHaveLength(1);
    expect((recs[0]!.attempts as { reference: string }[]).map((a) => a.reference)).toEqual(['mirror.example.com/org/missing:1', 'source.example.com/org/missing:1']);
    expect((recs[0]!.expected as { reference: string }[]).map((a) => a.reference)).toEqual(['mirror.example.com/org/missing:1', 'source.example.com/org/missing:1']);
  });

  it('convert (containerd): the converted files, then a warning per semantic lost', async () => {
    const r = await cli(['convert', 'registries-conf', '--to', 'hosts-toml', ...configFlags(), '--output', 'json']);
    expect(r.code).toBe(0);
    const recs = records('convert', r);
    expect(recs.filter((x) => x.type === 'file').map((x) => x.path)).toEqual(['source.example.com/hosts.toml']);
    expect(recs.filter((x) => x.type === 'warning').map((x) => x.code)).toContain('convert-path-prefix');
  });

  it('every schema in schemas/ was checked against real output', () => {
    expect([...covered].sort()).toEqual(schemaNames().sort());
  });
});
