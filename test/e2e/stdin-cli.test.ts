/** `-` reads standard input from the real entry point: `oc get idms -o yaml | pullpath render openshift -`. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawnCli, type CliResult } from '../helpers/run-cli.ts';

/** Runs the CLI with `input` on standard input (HOME points nowhere: no user config is read). */
const withStdin = (args: string[], input: string): Promise<CliResult> => spawnCli(args, { stdin: input, env: { ...process.env, HOME: '/nonexistent' } });

const F = 'test/fixtures/openshift';
const list = readFileSync(`${F}/cluster-list.yaml`, 'utf8');
const tags = readFileSync(`${F}/tag-mirrors.yaml`, 'utf8');

describe('"-" reads standard input', () => {
  it('render openshift - (oc get -o yaml: a kind: List)', async () => {
    const r = await withStdin(['render', 'openshift', '-'], list);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('location = "mirror.local/ocp/release"');
    expect(r.stderr).toContain('note: <stdin> (document 1, items[2]): ConfigMap "registry-cas"');
  });

  it('errors name <stdin> with the line', async () => {
    const r = await withStdin(['render', 'openshift', '-'], readFileSync(`${F}/typo-idms.yaml`, 'utf8'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('<stdin>:7: ImageDigestMirrorSet "release": strict decoding error: unknown field "spec.imageDigestMirror"');
  });

  it('resolve --openshift - names the object in <stdin>', async () => {
    const r = await withStdin(['resolve', '--openshift', '-', 'docker.io/library/busybox:1'], tags);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('from ImageTagMirrorSet/tags <stdin>:7 (rendered)');
  });

  it('resolve --registries-conf -, policy --policy -, lint --registries-conf -', async () => {
    const conf = '[[registry]]\nlocation = "quay.io"\nblocked = true\n';
    const r = await withStdin(['resolve', '--registries-conf', '-', '--registries-conf-dir', '/nonexistent', 'quay.io/a:1'], conf);
    expect(r.stdout).toContain('from <stdin>:1');
    const p = await withStdin(['policy', '--policy', '-', 'quay.io/a:1'], '{"default":[{"type":"reject"}]}');
    expect(p.code).toBe(1);
    expect(p.stdout).toContain('in <stdin>');
    const l = await withStdin(['lint', '--registries-conf', '-', '--registries-conf-dir', '/nonexistent'], 'bad key\n');
    expect(l.code).toBe(1);
    expect(l.stdout).toContain('<stdin>:1: error PP_ERR_CONFIG_TOML_SYNTAX: loading registries configuration "<stdin>"');
  });

  it('verify --images - reads the list from standard input', async () => {
    // An unusable line is reported as <stdin>:LINE before any network access (exit 2), which proves the line was read.
    const r = await withStdin(['verify', '--images', '-', '--registries-conf-dir', '/nonexistent'], '# images\nquay.io/UPPER:1\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('<stdin>:2: "quay.io/UPPER:1" is not an image reference');
  });

  it('two "-" in one command are a usage error, before anything is read', async () => {
    const r = await withStdin(['resolve', '--openshift', '-', '--policy', '-', 'quay.io/a:1'], tags);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('standard input ("-") given 2 times (--openshift, --policy)');
  });
});
