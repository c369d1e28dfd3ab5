/**
 * What a run of the CLI loads (issue 14: start-up). `resolve` and `pull` must not load yaml (only --openshift
 * and registries.d files need it), `pull` must not load openpgp or @peculiar/x509 (only signature requirements
 * need them) and its bundle must not hold undici's index (src/registry/undici-core.ts), `--help` must load no
 * bundle. Measured with a loaded-module probe (test/helpers/module-probe.mjs), each with a positive control
 * showing that the probe does see the package when a run needs it, and, for what a bundle holds, from the bundle
 * file (esbuild names each bundled CommonJS module by its path). No timing here: bench/startup.ts measures.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/docker-registry.ts';
// @ts-expect-error -- plain JavaScript module without types
import { bundleState } from '../../bin/build-cli.mjs';

const ROOT = join(import.meta.dirname, '../..');
const PROBE = join(ROOT, 'test/helpers/module-probe.mjs');

let work: string;
let conf: string;
let flags: string[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pp-startup-'));
  conf = join(work, 'registries.conf');
  await writeFile(conf, '[[registry]]\nlocation = "quay.io/acme"\n[[registry.mirror]]\nlocation = "mirror.example.com/acme"\n');
  flags = ['--registries-conf', conf, '--registries-conf-dir', join(work, 'none.d')];
});

/** Runs bin/pullpath.js ARGS under the built-in probe (test/helpers/builtin-probe.cjs); the built-ins it loaded. */
async function builtins(args: string[]): Promise<{ code: number; stderr: string; builtins: string[] }> {
  const out = join(work, `builtins-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(out, '');
  const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['-r', join(ROOT, 'test/helpers/builtin-probe.cjs'), join(ROOT, 'bin/pullpath.js'), ...args],
      { cwd: work, env: { PATH: process.env.PATH ?? '', HOME: work, PULLPATH_BUILTIN_PROBE: out }, timeout: 60_000 },
      (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
  return { ...r, builtins: (await readFile(out, 'utf8')).split('\n').filter(Boolean) };
}

/** Runs bin/pullpath.js ARGS under the probe; the modules it loaded (file URLs) and its output. */
async function loaded(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string; modules: string[] }> {
  const out = join(work, `probe-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(out, '');
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', PROBE, join(ROOT, 'bin/pullpath.js'), ...args],
      { cwd: work, env: { PATH: process.env.PATH ?? '', HOME: work, PULLPATH_MODULE_PROBE: out, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
  return { ...r, modules: (await readFile(out, 'utf8')).split('\n').filter(Boolean) };
}

const pkg = (modules: string[], name: string) => modules.filter((m) => m.includes(`/node_modules/${name}/`));

describe('modules loaded per command', () => {
  it('`resolve` loads neither yaml nor undici; with --openshift it loads yaml (the probe sees it)', async () => {
    const r = await loaded(['resolve', ...flags, 'quay.io/acme/app:1.4']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('mirror.example.com/acme/app:1.4');
    expect(r.modules.some((m) => m.endsWith('/tiering.cjs') && m.includes('/node_modules/.cache/pullpath/'))).toBe(true); // the probe sees what the launcher requires
    for (const name of ['yaml', 'undici', 'ink', 'react', 'openpgp', '@peculiar/x509', 'prom-client']) expect(pkg(r.modules, name), name).toEqual([]);
    // Nor Node's streams: its output is written without process.stdout (cli/lifecycle.ts writeOutput), it sets no
    // V8 flag (node:v8 loads streams; cli/wasm-tiering.ts) and it parses no IPv6 address (src/proxy/go-ip.ts).
    const b = await builtins(['resolve', ...flags, 'quay.io/acme/app:1.4']);
    expect(b.code, b.stderr).toBe(0);
    expect(b.builtins).toContain('node:vm'); // the probe sees what the run loads (bin/run-bundle.js)
    // …and no node:fs/promises (src/fs-async.ts: it would load readline and the fs watchers).
    for (const name of ['node:stream', 'node:net', 'node:v8', 'node:tty', 'node:fs/promises']) expect(b.builtins, name).not.toContain(name);

    const idms = join(work, 'idms.yaml');
    await writeFile(
      idms,
      'apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: m\nspec:\n  imageDigestMirrors:\n  - source: quay.io/acme\n    mirrors:\n    - mirror.example.com/acme\n',
    );
    const withYaml = await loaded(['resolve', '--openshift', idms, 'quay.io/acme/app@sha256:' + 'a'.repeat(64)]);
    expect(withYaml.code, withYaml.stderr).toBe(0);
    expect(pkg(withYaml.modules, 'yaml').length).toBeGreaterThan(0);
  });

  it('`pull` runs undici’s client modules from its bundle, which holds not its index; it loads no yaml, openpgp or @peculiar/x509', async () => {
    const refused = `127.0.0.1:${await freePort()}`;
    const r = await loaded(['pull', ...flags, '--tls-verify=false', '--output', 'json', `docker://${refused}/lib/hello:v1`]);
    expect(r.code, r.stderr).toBe(1); // connection refused: the pull ran its whole path and failed
    expect(r.stdout).toContain('"type":"result"');
    expect(pkg(r.modules, 'undici')).toEqual([]); // bundled: never required from node_modules
    const bundle = readFileSync(`${(bundleState() as { dir: string }).dir}/pull.cjs`, 'latin1');
    expect(bundle).toContain('"node_modules/undici/lib/dispatcher/client.js"');
    expect(bundle).not.toContain('"node_modules/undici/index.js"');
    expect(bundle).not.toContain('"node_modules/undici/lib/web/websocket/');
    for (const name of ['yaml', 'openpgp', '@peculiar/x509', 'ink', 'prom-client']) expect(pkg(r.modules, name), name).toEqual([]);
    const b = await builtins(['pull', ...flags, '--tls-verify=false', '--output', 'json', `docker://${refused}/lib/hello:v1`]);
    expect(b.code, b.stderr).toBe(1);
    expect(b.builtins).toEqual(expect.arrayContaining(['node:net', 'node:tls', 'node:v8'])); // the probe sees built-ins (the https ping)
    // undici's HTTP/2 client is required on its first call only (bin/build-cli.mjs: lazyUndiciH2); pullpath never offers h2.
    expect(b.builtins).not.toContain('node:http2');
    expect(b.builtins).not.toContain('node:fs/promises'); // src/fs-async.ts
    expect(bundle).toContain('"node_modules/undici/lib/dispatcher/client-h2.js"');
    // Credential helpers load it at their first run (src/registry/credential-helper.ts); none ran here.
    expect(b.builtins).not.toContain('node:child_process');
  });

  it('`--help` is served from the saved help text: no chunk of the bundle, no package', async () => {
    const r = await loaded(['--help'], { PULLPATH_STARTUP_TRACE: '1' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: pullpath COMMAND');
    expect(r.stderr).toContain('pullpath-startup: help served from help.txt');
    // A current bundle is checked by bin/bundle-state.js alone; the builder is loaded only to build.
    expect(r.modules.some((m) => m.endsWith('/bin/bundle-state.js'))).toBe(true);
    expect(r.modules.filter((m) => m.endsWith('/bin/build-cli.mjs') || m.endsWith('/bin/run-bundle.js'))).toEqual([]);
    expect(r.modules.filter((m) => m.includes('/node_modules/'))).toEqual([]);
    expect(r.modules.filter((m) => m.endsWith('.mjs') && !m.endsWith('module-probe.mjs'))).toEqual([]);
  });
});
