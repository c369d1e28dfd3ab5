/**
 * `pullpath diff` as users run it: positional kinds detected (registries.conf, cluster objects, a node
 * root), per-side flags, REF arguments, text within 80 columns, Markdown, --fail-on exit codes, usage errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hermeticEnv, runCli, type CliResult } from '../helpers/run-cli.ts';

let work: string;
let before: string;
let after: string;
let root: string;
const cli = (args: string[]): Promise<CliResult> => runCli(args, { env: hermeticEnv(work), timeoutMs: 60_000 });

const BEFORE = `[[registry]]
prefix = "quay.io/org"
location = "quay.io/org"
[[registry.mirror]]
location = "m1.example.com/org"
[[registry.mirror]]
location = "m2.example.com/org"
`;
const AFTER = `[[registry]]
prefix = "quay.io/org"
location = "quay.io/org"
[[registry.mirror]]
location = "m2.example.com/org"
[[registry]]
location = "untrusted.com"
blocked = true
`;

const POLICY = JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pp-diff-'));
  before = join(work, 'before.conf');
  after = join(work, 'after.conf');
  await writeFile(before, BEFORE);
  await writeFile(after, AFTER);
  root = join(work, 'node');
  await mkdir(join(root, 'etc/containers'), { recursive: true });
  await writeFile(join(root, 'etc/containers/registries.conf'), BEFORE);
  await writeFile(join(root, 'etc/containers/policy.json'), POLICY);
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('pullpath diff', () => {
  it('lists each changed image with its sources marked, counts the unchanged, and fits 80 columns', async () => {
    const r = await cli(['diff', before, after, 'quay.io/org/app:1', 'ghcr.io/x/y:1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('quay.io/org/app:1: source-removed');
    expect(r.stdout).toMatch(/^ {4}- was 1\. m1\.example\.com\/org\/app:1 \(mirror\)$/m);
    expect(r.stdout).toContain('1 of 2 images change; 1 unchanged.');
    expect(Math.max(...r.stdout.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(80);
  });

  it('--fail-on sets the exit code; an unknown condition is a usage error with a suggestion', async () => {
    expect((await cli(['diff', before, after, '--fail-on', 'blocked'])).code).toBe(1);
    expect((await cli(['diff', before, after, 'quay.io/org/app:1', '--fail-on', 'blocked'])).code).toBe(0);
    expect((await cli(['diff', before, after, '--fail-on', 'drain'])).code).toBe(1);
    const bad = await cli(['diff', before, after, '--fail-on', 'blokced']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('did you mean "blocked"?');
  });

  it('detects a node root and cluster objects among positionals; per-side flags work alike', async () => {
    const r = await cli(['diff', root, 'test/fixtures/openshift/docs-blocked.yaml', 'untrusted.com/app:1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/untrusted\.com\/app:1: entry, blocked, policy-rejected/);
    expect(r.stdout).toMatch(/Image\/cluster\s+test\/fixtures\/openshift\/docs-blocked\.yaml:\d+ \(rendered\)/);
    expect(r.stdout).toMatch(/added \/etc\/containers\/policy\.json|modified \/etc\/containers\/registries\.conf/);
    const flags = await cli(['diff', '--before-root', root, '--after-openshift', 'test/fixtures/openshift/docs-blocked.yaml', 'untrusted.com/app:1']);
    expect(flags.stdout).toBe(r.stdout);
  });

  it('cluster objects against a node root keep the node\'s other drop-ins (the MCO leaves them)', async () => {
    const node = join(work, 'node-with-dropin');
    await mkdir(join(node, 'etc/containers/registries.conf.d'), { recursive: true });
    await writeFile(join(node, 'etc/containers/registries.conf'), BEFORE);
    await writeFile(join(node, 'etc/containers/policy.json'), POLICY);
    await writeFile(join(node, 'etc/containers/registries.conf.d/50-other.conf'), '[[registry]]\nlocation = "other.example.com"\nblocked = true\n');
    const r = await cli(['diff', node, 'test/fixtures/openshift/docs-blocked.yaml', 'other.example.com/app:1', 'untrusted.com/app:1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('other.example.com/app:1:');
    expect(r.stdout).toContain('1 of 2 images change; 1 unchanged.');
  });

  it('reads FILE.d as a registries.conf side\'s drop-ins; a drop-in added is a node file added (drain and reboot)', async () => {
    const withDropin = join(work, 'with-dropin.conf');
    await writeFile(withDropin, BEFORE);
    await mkdir(`${withDropin}.d`, { recursive: true });
    await writeFile(join(`${withDropin}.d`, '50-ghcr.conf'), '[[registry]]\nlocation = "ghcr.io"\nblocked = true\n');
    const r = await cli(['diff', before, withDropin, 'ghcr.io/x/y:1', '--fail-on', 'reboot']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/ghcr\.io\/x\/y:1: entry, blocked/);
    expect(r.stdout).toMatch(/with-dropin\.conf\.d\/50-ghcr\.conf:1/);
    expect(r.stdout).toMatch(/added \/etc\/containers\/registries\.conf\.d\/50-ghcr\.conf: no MCO rule/);
  });

  it('a configuration against itself: nothing changes, exit 0 even with --fail-on any', async () => {
    const r = await cli(['diff', before, root, '--fail-on', 'any']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^0 of \d+ synthetic images/m);
    expect(r.stdout).toContain('Node files: no change');
  });

  it('Markdown for a pull-request comment', async () => {
    const r = await cli(['diff', before, after, '-o', 'markdown']);
    expect(r.stdout).toMatch(/^### pullpath diff/);
    expect(r.stdout).toContain('| `quay.io/org/pullpath-diff:latest` | source-removed |');
    expect(r.stdout).toContain('**Node impact** (MCO, OpenShift current): **drain, then CRI-O reload (no reboot)**');
  });

  it('names a missing side', async () => {
    const r = await cli(['diff', before]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected AFTER');
  });
});
