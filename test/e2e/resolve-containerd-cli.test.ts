/** `pullpath resolve --runtime containerd` end to end: flags, the chain (text and JSON against its schema), exits. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hermeticEnv, runCli } from '../helpers/run-cli.ts';
import { checkJsonLines } from '../helpers/json-schemas.ts';

const fx = 'test/fixtures/containerd';
const home = mkdtempSync(join(tmpdir(), 'pullpath-ctrd-home-'));
const pullpath = (args: string[]) => runCli(args, { env: hermeticEnv(home) });
const SECRET = 'SECRET-HEADER-VALUE';

describe('pullpath resolve --runtime containerd', () => {
  it('prints the hosts.toml chain: hosts in file order, server last, a pull-only host left out of tag resolution', async () => {
    const r = await pullpath(['resolve', '--runtime', 'containerd', '--hosts-dir', `${fx}/certs.d`, 'quay.io/org/app:1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`hosts.toml: directory "quay.io" (${fx}/certs.d/quay.io)`);
    expect(r.stdout).toContain('1. 10.0.0.5:5000/org/app:1  (mirror, insecure)');
    expect(r.stdout).toContain('http://10.0.0.5:5000/v2');
    expect(r.stdout).toContain('?ns=quay.io');
    expect(r.stdout).toContain('skip_verify (no effect on plain HTTP)');
    expect(r.stdout).toContain('2. quay.io/org/app:1  (primary)');
    expect(r.stdout).toContain('server (tried last)');
    expect(r.stdout).toMatch(/https:\/\/cache\.example\.com:5000\/v2\/quay\/v2: .*without "resolve"/);
    expect(r.stdout).toContain('(skipped): pin by digest, or give the host capabilities = ["pull", "resolve"]');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('JSON: the containerd endpoint per source, header names without values, valid against the schema', async () => {
    const r = await pullpath(['resolve', '--hosts-dir', `${fx}/certs.d`, '-o', 'json', 'quay.io/org/app@sha256:' + 'a'.repeat(64), 'alpine']);
    expect(r.code).toBe(0);
    const { records, failures } = checkJsonLines('resolve', r.stdout);
    expect(failures).toEqual([]);
    expect(r.stdout).not.toContain(SECRET);
    const [digest, hub] = records as Array<{ sources: Array<{ location: string; containerd: { headerNames: string[]; ns: string | null } }>; runtime: string; notes?: string[] }>;
    expect(digest!.runtime).toBe('containerd');
    expect(digest!.sources.map((s) => s.location)).toEqual(['https://cache.example.com:5000/v2/quay/v2', 'http://10.0.0.5:5000/v2', 'https://quay.io/v2']);
    expect(digest!.sources[1]!.containerd.headerNames).toEqual(['authorization']);
    // docker.io's file has an unknown capability: containerd ignores it whole and contacts Docker Hub itself.
    expect(hub!.sources.map((s) => s.location)).toEqual(['https://registry-1.docker.io/v2']);
    expect(hub!.notes!.join('\n')).toContain('unknown capability fetch');
  });

  it('--hosts-dir is colon-separated and repeatable; an earlier root\'s _default wins over a later root\'s host directory', async () => {
    const r = await pullpath(['resolve', '--hosts-dir', `${fx}/extra.d:${fx}/certs.d`, '-o', 'json', 'reg.example.com/a:1']);
    const rec = JSON.parse(r.stdout.trim()) as { sources: Array<{ location: string }> };
    expect(rec.sources.map((s) => s.location)).toEqual(['https://everything.example.com/v2', 'https://reg.example.com/v2']);
    const r2 = await pullpath(['resolve', '--hosts-dir', `${fx}/certs.d`, '--hosts-dir', `${fx}/extra.d`, '-o', 'json', 'reg.example.com/a:1', 'ghcr.io/o/a:1']);
    const [a, b] = r2.stdout.trim().split('\n').map((l) => JSON.parse(l) as { sources: Array<{ location: string }> });
    expect(a!.sources.map((s) => s.location)).toEqual(['https://reg-mirror.example.com/v2', 'https://reg.example.com/v2']);
    expect(b!.sources.map((s) => s.location)).toEqual(['https://everything.example.com/v2', 'https://ghcr.io/v2']);
  });

  it('--containerd-config: config_path roots are read; without config_path the files are not; mirrors + config_path fails', async () => {
    const withPath = await pullpath(['resolve', '--runtime', 'containerd', '--containerd-config', `${fx}/config-path.toml`, '-o', 'json', 'ghcr.io/o/a:1']);
    expect((JSON.parse(withPath.stdout) as { sources: Array<{ location: string }> }).sources[0]!.location).toBe('https://everything.example.com/v2');
    const noPath = await pullpath(['resolve', '--runtime', 'containerd', '--containerd-config', `${fx}/no-config-path.toml`, 'quay.io/org/app:1']);
    expect(noPath.code).toBe(0);
    expect(noPath.stdout).toContain('no config_path, so containerd 1.6 reads no hosts.toml files');
    const inline = await pullpath(['resolve', '--containerd-config', `${fx}/inline-mirrors.toml`, '-o', 'json', 'alpine']);
    expect((JSON.parse(inline.stdout) as { sources: Array<{ location: string }> }).sources.map((s) => s.location)).toEqual([
      'https://mirror.gcr.io/v2',
      'https://local-cache:5000/v2',
      'https://registry-1.docker.io/v2',
    ]);
    const conflict = await pullpath(['resolve', '--containerd-config', `${fx}/conflict.toml`, 'alpine']);
    expect(conflict.code).toBe(1);
    expect(conflict.stdout).toContain('`mirrors` cannot be set when `config_path` is provided');
  });

  it('bad usage exits 2: unknown runtime, a containers/image --compat, registries.conf flags mixed in', async () => {
    for (const args of [
      ['--runtime', 'dockerd'],
      ['--runtime', 'containerd', '--compat', '5.23'],
      ['--hosts-dir', `${fx}/certs.d`, '--registries-conf', 'x.conf'],
      ['--runtime', 'containers-image', '--hosts-dir', `${fx}/certs.d`],
      ['--runtime', 'containerd', '--containerd-config', `${fx}/does-not-exist.toml`],
    ]) {
      const r = await pullpath(['resolve', ...args, 'quay.io/a:1']);
      expect(r.code, args.join(' ') + r.stderr).toBe(2);
    }
  });

  it('--compat 1.7: a loopback registry is tried over HTTPS first with an HTTP fallback', async () => {
    const r = await pullpath(['resolve', '--hosts-dir', `${fx}/certs.d`, '--compat', '1.7', '-o', 'json', 'localhost:5000/a:1']);
    const rec = JSON.parse(r.stdout) as { sources: Array<{ containerd: { scheme: string; httpFallback: boolean } }> };
    expect(rec.sources[0]!.containerd).toMatchObject({ scheme: 'https', httpFallback: true });
  });
});

describe('pullpath lint --runtime containerd', () => {
  it('reports an ignored file (exit 1) with file:line, as text and JSON Lines', async () => {
    const r = await pullpath(['lint', '--hosts-dir', `${fx}/certs.d`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${fx}/certs.d/docker.io/hosts.toml:1: error PP_LINT_CTRD_FILE_IGNORED`);
    expect(r.stdout).toContain('unknown capability fetch');
    expect(r.stdout).toContain(`${fx}/certs.d/quay.io/hosts.toml:4: warning PP_LINT_CTRD_NO_RESOLVE`);
    const j = await pullpath(['lint', '--hosts-dir', `${fx}/certs.d`, '-o', 'json']);
    expect(checkJsonLines('lint', j.stdout).failures).toEqual([]);
    const recs = j.stdout.trim().split('\n').map((l) => JSON.parse(l) as { code: string; file: string; line: number | null });
    expect(recs.map((x) => x.code)).toContain('PP_LINT_CTRD_FILE_IGNORED');
    expect(r.stdout + j.stdout).not.toContain(SECRET);
  });

  it('config.toml without config_path: the hosts directories given are unread by the CRI plugin', async () => {
    const r = await pullpath(['lint', '--containerd-config', `${fx}/no-config-path.toml`, '--hosts-dir', `${fx}/extra.d`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${fx}/no-config-path.toml: warning PP_LINT_CTRD_CONFIG_PATH_UNSET`);
    expect(r.stdout).toContain(`ignores ${fx}/extra.d (1 host directory: _default)`);
    const conflict = await pullpath(['lint', '--containerd-config', `${fx}/conflict.toml`]);
    expect(conflict.code).toBe(1);
    expect(conflict.stdout).toContain(`${fx}/conflict.toml:7: error PP_LINT_CTRD_MIRRORS_WITH_CONFIG_PATH`);
  });
});

describe('pullpath convert and render --runtime containerd', () => {
  it('convert hosts-toml --to registries-conf prints a registries.conf and warns on stderr', async () => {
    const r = await pullpath(['convert', 'hosts-toml', '--to', 'registries-conf', '--hosts-dir', `${fx}/certs.d`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('prefix = "quay.io"');
    expect(r.stdout).toContain('location = "cache.example.com:5000"');
    expect(r.stderr).toContain('[convert-api-prefix]');
    expect(r.stderr).toContain('[convert-ignored-file]');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const bad = await pullpath(['convert', 'hosts-toml', '--to', 'hosts-toml', '--hosts-dir', `${fx}/certs.d`]);
    expect(bad.code).toBe(2);
  });

  it('convert registries-conf --to hosts-toml: each ==> FILE <== header starts its own line; --out files end in one newline', async () => {
    const r = await pullpath(['convert', 'registries-conf', '--to', 'hosts-toml', '--registries-conf', 'examples/registries.conf']);
    expect(r.code).toBe(0);
    const headers = r.stdout.match(/==> [^\n]* <==/g) ?? [];
    expect(headers.length).toBeGreaterThan(1);
    expect(r.stdout.match(/^==> [^\n]* <==$/gm)).toEqual(headers);
    expect(r.stdout).toMatch(/[^\n]\n$/);
    const out = mkdtempSync(join(tmpdir(), 'pullpath-convert-'));
    const w = await pullpath(['convert', 'registries-conf', '--to', 'hosts-toml', '--registries-conf', 'examples/registries.conf', '--out', out]);
    expect(w.code).toBe(0);
    const written = readdirSync(out);
    expect(written).toContain('localhost:5000');
    for (const dir of written) expect(readFileSync(join(out, dir, 'hosts.toml'), 'utf8')).toMatch(/[^\n]\n$/);
  });

  it('render openshift --runtime containerd --out writes a tree that resolve --hosts-dir reads', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pullpath-wmco-'));
    const r = await pullpath(['render', 'openshift', '--runtime', 'containerd', '--out', out, `${fx}/openshift/mirror-sets.yaml`]);
    expect(r.code).toBe(0);
    const res = await pullpath(['resolve', '--hosts-dir', out, '-o', 'json', 'registry.example.com/app:1']);
    const rec = JSON.parse(res.stdout) as { sources: Array<{ location: string }>; skipped: Array<{ kind: string }> };
    // NeverContactSource: server is the mirror, and the IDMS mirror (pull only) is skipped for a tag.
    expect(rec.sources.map((s) => s.location)).toEqual(['https://mirror.local:5000/v2/example']);
    expect(rec.skipped.map((s) => s.kind)).toEqual(['capability']);
  });
});

describe('pullpath diff with hosts.toml sides', () => {
  it('compares two hosts dirs (detected) and a registries.conf against a hosts dir, JSON valid against the diff schema', async () => {
    const r = await pullpath(['diff', `${fx}/certs.d`, `${fx}/after.d`, 'quay.io/org/app:1']);
    expect(r.code).toBe(0);
    // Sources are shown by what containerd contacts: scheme://host/path + repository, and ?ns=.
    expect(r.stdout).toContain('+ 1. https://cache.example.com:5000/v2/quay/v2/org/app:1?ns=quay.io (mirror)');
    expect(r.stdout).toContain('- was 1. http://10.0.0.5:5000/v2/org/app:1?ns=quay.io (mirror, insecure)');
    const j = await pullpath(['diff', '--before-hosts-dir', `${fx}/certs.d`, '--after-hosts-dir', `${fx}/after.d`, '-o', 'json']);
    const { records, failures } = checkJsonLines('diff', j.stdout);
    expect(failures).toEqual([]);
    expect(records.some((x) => x['image'] === 'quay.io/pullpath/synthetic:latest')).toBe(true);
    expect(j.stdout).not.toContain(SECRET);
  });

  it('registries.conf against its own convert --to hosts-toml output: no change; the same tree in two places: no change', async () => {
    const a = mkdtempSync(join(tmpdir(), 'pullpath-conv-a-'));
    const b = mkdtempSync(join(tmpdir(), 'pullpath-conv-b-'));
    for (const out of [a, b]) expect((await pullpath(['convert', 'registries-conf', '--to', 'hosts-toml', '--registries-conf', 'examples/registries.conf', '--out', out])).code).toBe(0);
    const digest = `quay.io/org/app@sha256:${'a'.repeat(64)}`;
    const cross = await pullpath(['diff', 'examples/registries.conf', a, 'quay.io/org/app:1', digest, 'docker.io/library/alpine:3']);
    expect(cross.code).toBe(0);
    expect(cross.stdout).toContain('0 of 3 images change');
    // Two copies of one tree: the entry is the directory and its hosts, not the file path.
    const same = await pullpath(['diff', a, b, '--fail-on', 'any']);
    expect(same.stdout).toMatch(/^0 of \d+ synthetic images/m);
    expect(same.code).toBe(0);
    // A real change still shows: a mirror's path moved (same host) is a different URL.
    const c = mkdtempSync(join(tmpdir(), 'pullpath-conv-c-'));
    mkdirSync(join(c, 'quay.io'));
    writeFileSync(join(c, 'quay.io', 'hosts.toml'), readFileSync(join(a, 'quay.io', 'hosts.toml'), 'utf8').replace('/v2/quay"', '/v2/quay2"'));
    const moved = await pullpath(['diff', a, c, 'quay.io/org/app:1']);
    expect(moved.stdout).toContain('quay.io/org/app:1: source-added, source-removed');
    expect(moved.stdout).toContain('+ 1. https://mirror.example.internal:5000/v2/quay2/org/app:1?ns=quay.io');
    // A header change is an entry change (its value never shown).
    const h = mkdtempSync(join(tmpdir(), 'pullpath-conv-h-'));
    mkdirSync(join(h, 'quay.io'));
    writeFileSync(join(h, 'quay.io', 'hosts.toml'), readFileSync(join(a, 'quay.io', 'hosts.toml'), 'utf8') .replace('override_path = true\n', `override_path = true\n  [host."https://mirror.example.internal:5000/v2/quay".header]\n    x-token = "${SECRET}"\n`));
    const header = await pullpath(['diff', a, h, 'quay.io/org/app:1']);
    expect(header.stdout).toContain('quay.io/org/app:1: entry');
    expect(header.stdout).not.toContain(SECRET);
  });

  it('--compat with hosts sides: an unknown containerd version is refused as resolve refuses it (exit 2, same words)', async () => {
    const d = await pullpath(['diff', '--before-hosts-dir', `${fx}/certs.d`, '--after-hosts-dir', `${fx}/after.d`, '--compat', '3.0']);
    const r = await pullpath(['resolve', '--hosts-dir', `${fx}/certs.d`, '--compat', '3.0', 'quay.io/org/app:1']);
    expect(r.code).toBe(2);
    expect(d.code).toBe(2);
    const words = '--compat: with --runtime containerd, expected 1.6, 1.7 or 2.x, got "3.0"';
    expect(r.stderr).toContain(words);
    expect(d.stderr).toContain(words);
    expect(d.stdout).toBe('');
    // A containers/image version is for a registries.conf side and still accepted beside a hosts side.
    const mixed = await pullpath(['diff', 'examples/registries.conf', `${fx}/certs.d`, '--compat', '5.40', 'quay.io/org/app:1']);
    expect(mixed.code).toBe(0);
  });
});
