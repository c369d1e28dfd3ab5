/** resolveArg: the CLI's two ARG forms (docker://REF as skopeo, bare REF as podman/CRI-O) and --compat. */
import { describe, expect, it } from 'vitest';
import { compileConfig, resolveArg } from '../../src/resolve/index.ts';
import { confFrom } from './helpers.ts';

const d = `sha256:${'a'.repeat(64)}`;
const compiled = compileConfig(
  confFrom(
    `unqualified-search-registries = ["quay.io", "docker.io"]
short-name-mode = "permissive"
[[registry]]
prefix = "docker.io"
location = "docker.io"
[[registry.mirror]]
location = "mirror.local/hub"
[[registry]]
prefix = "bad.example.com"
location = "docker.io"
[aliases]
app = "quay.io/org/app"
`,
    { path: 'r.conf' },
  ),
);

describe('docker://REF (the docker transport, as skopeo)', () => {
  it('adds :latest to a bare name and resolves through the matching entry', () => {
    const r = resolveArg(compiled, 'docker://busybox');
    expect(r.normalized).toBe('docker.io/library/busybox:latest');
    expect(r.registry?.prefix).toBe('docker.io');
    expect(r.registry?.origin).toBe('r.conf:3');
    expect(r.sources.map((s) => s.reference)).toEqual(['mirror.local/hub/library/busybox:latest', 'docker.io/library/busybox:latest']);
    expect(r.candidates).toBeUndefined();
    expect(r.error).toBeNull();
  });
  it('never searches short names', () => {
    const r = resolveArg(compiled, 'docker://app');
    expect(r.normalized).toBe('docker.io/library/app:latest');
  });
  it('refuses a tag with a digest', () => {
    const r = resolveArg(compiled, `docker://quay.io/x:1@${d}`);
    expect([r.error, r.errorKind, r.sources]).toEqual(['Docker references with both a tag and digest are currently not supported', 'transport', []]);
  });
  it('reports parse errors in the library wording', () => {
    const r = resolveArg(compiled, 'docker://example.com/Foo');
    expect([r.error, r.errorKind, r.normalized]).toEqual(['invalid reference format: repository name must be lowercase', 'parse', null]);
  });
  it('reports a rewrite error and no sources (the pull fails before any access)', () => {
    const r = resolveArg(compiled, 'docker://bad.example.com/alpine:3');
    expect([r.error, r.errorKind, r.sources.length, r.registry?.prefix]).toEqual([
      'rewriting reference: repository name must be canonical',
      'rewrite',
      0,
      'bad.example.com',
    ]);
  });
});

describe('bare REF (podman, CRI-O)', () => {
  it('expands a short name with every unqualified-search registry, each candidate with its sources', () => {
    const r = resolveArg(compiled, 'busybox:1');
    expect(r.candidates?.map((c) => [c.reference, c.sources.map((s) => s.reference)])).toEqual([
      ['quay.io/busybox:1', ['quay.io/busybox:1']],
      ['docker.io/library/busybox:1', ['mirror.local/hub/library/busybox:1', 'docker.io/library/busybox:1']],
    ]);
    expect(r.normalized).toBeNull();
    expect(r.sources).toEqual([]);
    expect(r.notes).toContain('Resolving "busybox" using unqualified-search registries (r.conf)');
  });
  it('uses an alias, keeping the tag', () => {
    const r = resolveArg(compiled, 'app:2');
    expect(r.candidates?.map((c) => c.reference)).toEqual(['quay.io/org/app:2']);
    expect(r.normalized).toBe('quay.io/org/app:2');
  });
  it('treats a fully qualified REF as docker://REF', () => {
    const a = resolveArg(compiled, 'docker.io/library/busybox');
    const b = resolveArg(compiled, 'docker://docker.io/library/busybox');
    expect({ ...a, ref: '' }).toEqual({ ...b, ref: '' });
  });
  it('reports a short-name error as such', () => {
    const enforcing = compileConfig(confFrom('short-name-mode = "enforcing"\nunqualified-search-registries = ["a.io", "b.io"]\n'));
    const r = resolveArg(enforcing, 'foo');
    expect([r.error, r.errorKind]).toEqual(['short-name resolution enforced but cannot prompt without a TTY', 'shortname']);
  });
  it('fails when every candidate fails, as libimage words it', () => {
    const c = compileConfig(
      confFrom('unqualified-search-registries = ["a.example.com", "b.example.com"]\n[[registry]]\nprefix = "*.example.com"\nlocation = "docker.io"\n'),
    );
    const r = resolveArg(c, 'x');
    expect(r.error).toBe(
      '2 errors occurred while pulling:\n * rewriting reference: repository name must be canonical\n * rewriting reference: repository name must be canonical',
    );
  });
});

describe('--compat', () => {
  const text = '[[registry]]\nlocation = "r.com"\n[[registry.mirror]]\nlocation = "m.local/"\n';
  it('5.23 keeps a mirror trailing "/" and the rewrite fails', () => {
    const r = resolveArg(compileConfig(confFrom(text, { compat: '5.23' })), 'docker://r.com/x');
    expect(r.error).toBe('rewriting reference: invalid reference format');
  });
  it('5.40 trims it and the mirror works', () => {
    const r = resolveArg(compileConfig(confFrom(text, { compat: '5.40' })), 'docker://r.com/x');
    expect(r.sources.map((s) => s.reference)).toEqual(['m.local/x:latest', 'r.com/x:latest']);
  });
});

describe('notes for surprising matches', () => {
  const c = compileConfig(
    confFrom('[[registry]]\nprefix = "example.com"\nlocation = "mirror.local"\n[[registry]]\nprefix = "*.apps.example.net"\nlocation = "r.example.net"\n'),
  );
  it('a host prefix matching across a port', () => {
    const r = resolveArg(c, 'docker://example.com:5000/x');
    expect(r.sources.map((s) => s.reference)).toEqual(['mirror.local:5000/x:latest']);
    expect(r.notes?.some((n) => n.includes('across its port'))).toBe(true);
  });
  it('a wildcard carrying the port over', () => {
    const r = resolveArg(c, 'docker://eu.apps.example.net:6000/x');
    expect(r.sources.map((s) => s.reference)).toEqual(['r.example.net:6000/x:latest']);
    expect(r.notes?.some((n) => n.includes('":6000" is carried over'))).toBe(true);
  });
  it('docker:// with a short name', () => {
    expect(resolveArg(c, 'docker://busybox').notes?.[0]).toMatch(/^docker:\/\/ never searches short names/);
    expect(resolveArg(c, 'docker://example.com/x').notes?.some((n) => n.includes('never searches'))).toBe(false);
  });
});
