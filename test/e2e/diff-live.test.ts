/**
 * `diff --live` against pullpath's mock registries: a change that removes the only working mirror is a pull
 * that works today and fails after (a live-regression, exit 1 with --fail-on live-regression).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockRegistries, type MockRegistrySet } from '../../src/mock/start.ts';
import { hermeticEnv, runCli } from '../helpers/run-cli.ts';
import { checkJsonLines } from '../helpers/json-schemas.ts';

let mocks: MockRegistrySet;
let work: string;
let before: string;
let after: string;

beforeAll(async () => {
  mocks = await startMockRegistries([{ host: 'mirror.example.com', images: [{ repository: 'org/app', tags: ['1'], content: 'app' }] }]);
  work = await mkdtemp(join(tmpdir(), 'pp-diff-live-'));
  before = join(work, 'before.conf');
  after = join(work, 'after.conf');
  const entry = '[[registry]]\nprefix = "source.example.com/org"\nlocation = "source.example.com/org"\ninsecure = true\n';
  await writeFile(before, `${entry}[[registry.mirror]]\nlocation = "mirror.example.com/org"\ninsecure = true\n`);
  await writeFile(after, entry);
}, 60_000);
afterAll(async () => {
  await mocks?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('pullpath diff --live', () => {
  it('pulls each changed image through both sides and flags what would break', async () => {
    const connect = ['--connect-to', `mirror.example.com:${mocks.get('mirror.example.com')!.address}`, '--connect-to', 'source.example.com:127.0.0.1:1'];
    const args = ['diff', before, after, 'source.example.com/org/app:1', '--live', ...connect, '--timeout', '5'];
    const env = hermeticEnv(work);
    const text = await runCli([...args, '--fail-on', 'live-regression'], { env, timeoutMs: 60_000 });
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toMatch(/1 work today and fail after\s+the change\./);
    expect(text.stdout).toMatch(/BREAKS source\.example\.com\/org\/app:1: before from\s+mirror\.example\.com\/org\/app:1;\s+after FAILS:/);
    const json = await runCli([...args, '-o', 'json'], { env, timeoutMs: 60_000 });
    const { records, failures } = checkJsonLines('diff', json.stdout);
    expect(failures).toEqual([]);
    expect(records.find((r) => r.type === 'live')).toMatchObject({ regression: true, before: { ok: true }, after: { ok: false, errorClass: 'refused' } });
    expect(json.code).toBe(0);
  }, 60_000);
});
