/**
 * `pull`, `verify`, `probe` and `load` with `--runtime containerd --hosts-dir DIR`, end to end (the real CLI)
 * against the project's mock registries (src/mock) on loopback: one hosts.toml sends src.example.com pulls to a
 * mirror without the image (404), then a broken mirror (500), then `server` (serving). Each command must walk
 * those hosts as containerd does (HEAD per host, `?ns=`, fall-through) and report it in its own terms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import { mockImageDigest } from '../../src/mock/image-builder.ts';
import { hermeticEnv, runCli } from '../helpers/run-cli.ts';

const IMAGE = { repository: 'org/app', tags: ['1.4'] };
let mocks: MockRegistrySet;
let work: string;
let hostsDir: string;

beforeAll(async () => {
  mocks = await startMockRegistries([
    { host: 'src.example.com', images: [IMAGE] },
    { host: 'empty.example.com', images: [] },
    { host: 'mirror.example.com', images: [IMAGE], faults: [{ kind: 'status', status: 500, route: 'manifest' }] },
  ]);
  work = await mkdtemp(join(tmpdir(), 'pp-ctrd-cli-'));
  hostsDir = join(work, 'certs.d');
  await mkdir(join(hostsDir, 'src.example.com'), { recursive: true });
  await writeFile(
    join(hostsDir, 'src.example.com', 'hosts.toml'),
    ['server = "http://src.example.com"', '[host."http://empty.example.com"]', '  capabilities = ["pull", "resolve"]', '[host."http://mirror.example.com"]', '  capabilities = ["pull", "resolve"]', ''].join('\n'),
  );
});
afterAll(async () => {
  await mocks?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const connect = () => Object.entries(mocks.hostMap).filter(([h]) => !h.includes(':')).flatMap(([h, a]) => ['--connect-to', `${h}:${a}`]);
const cli = (cmd: string, args: string[]) => runCli([cmd, '--runtime', 'containerd', '--hosts-dir', hostsDir, ...connect(), ...args], { env: hermeticEnv(work), timeoutMs: 60_000 });
const jsonLines = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('--runtime containerd on the commands that pull', () => {
  it('pull: 404 and 500 fall through to server; an unknown tag fails with the first non-404 error, as ctr prints it', async () => {
    const ok = await cli('pull', ['--output', 'json', 'src.example.com/org/app:1.4']);
    expect(ok.code, ok.stderr).toBe(0);
    const events = jsonLines(ok.stdout);
    const attempts = events.filter((e) => e.type === 'attempt');
    expect(attempts.map((a) => [a.reference, a.httpStatus])).toEqual([
      ['empty.example.com/org/app:1.4', 404],
      ['mirror.example.com/org/app:1.4', 500],
      ['src.example.com/org/app:1.4', 200],
    ]);
    expect((attempts[0]!.steps as { url: string }[])[0]!.url).toBe('http://empty.example.com/v2/org/app/manifests/1.4?ns=src.example.com');
    expect(events.find((e) => e.type === 'result')).toMatchObject({ ok: true, digest: mockImageDigest(IMAGE) });

    const bad = await cli('pull', ['--no-tui', 'src.example.com/org/app:nope']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('failed to resolve reference "src.example.com/org/app:nope": pulling from host mirror.example.com failed with status code [manifests nope]: 500 Internal Server Error');
    expect(bad.stdout).toContain('crictl pull prints: pulling image: rpc error: code = Unknown desc = failed to pull and unpack image');
  });

  it('verify: the image comes from server only (source-only); the unknown tag is not mirrored', async () => {
    const r = await cli('verify', ['--output', 'json', 'src.example.com/org/app:1.4', 'src.example.com/org/app:nope']);
    expect(r.code, r.stderr).toBe(1);
    const verdicts = jsonLines(r.stdout).filter((v) => v.type === 'verify');
    expect(verdicts.map((v) => [v.image, v.ok, v.reason])).toEqual([
      ['src.example.com/org/app:1.4', false, 'source-only'],
      ['src.example.com/org/app:nope', false, 'not-mirrored'],
    ]);
  });

  it('probe: each host by its URL, with the manifest step as containerd resolves it', async () => {
    const r = await cli('probe', ['--output', 'json', 'src.example.com/org/app:1.4']);
    expect(r.code, r.stderr).toBe(1);
    const byEndpoint = new Map(jsonLines(r.stdout).filter((x) => x.type === 'probe').map((x) => [x.location as string, x]));
    const manifest = (ep: string) => ((byEndpoint.get(ep)?.steps as { step: string; ok: boolean; httpStatus: number | null }[]) ?? []).find((s) => s.step === 'manifest');
    expect(manifest('http://empty.example.com/v2')).toMatchObject({ ok: false, httpStatus: 404 });
    expect(manifest('http://mirror.example.com/v2')).toMatchObject({ ok: false, httpStatus: 500 });
    expect(manifest('http://src.example.com/v2')).toMatchObject({ ok: true });
  });

  it('load: every pull walks the three hosts and is won by server', async () => {
    const r = await cli('load', ['--output', 'json', '--duration', '1', '--concurrency', '2', 'src.example.com/org/app:1.4']);
    expect(r.code, r.stderr).toBe(0);
    const summary = jsonLines(r.stdout).at(-1)!;
    const text = JSON.stringify(summary);
    expect(text).toContain('http://src.example.com/v2');
    expect(text).toContain('http://mirror.example.com/v2');
    expect(summary.failures).toEqual({});
    expect(summary.successes as number).toBeGreaterThan(0);
  });
});
