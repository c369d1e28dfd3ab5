/**
 * One test per lint warning (research §11 pitfalls): each config triggers the code at the right line, and a
 * corrected config next to it does not, so every test fails if its rule breaks or over-fires.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintRegistriesConf } from '../../src/config/lint/index.ts';
import type { CompatVersion, ConfigText } from '../../src/config/types.ts';

function lint(text: string, opts: { dropins?: ConfigText[]; compat?: CompatVersion } = {}) {
  return lintRegistriesConf({ main: { path: 'r.conf', text }, mainPath: 'r.conf', dropins: opts.dropins ?? [], compat: opts.compat ?? '5.23' });
}
const codes = (text: string, opts: { dropins?: ConfigText[]; compat?: CompatVersion } = {}) =>
  lint(text, opts).findings.map((f) => `${f.file}:${f.line ?? '?'} ${f.code}`);

describe('lint warnings', () => {
  it.each([
    // [what, bad config, expected finding, good config]
    [
      'a prefix with a tag never matches a pull (containers/image #1043)',
      '[[registry]]\nprefix = "example.com/foo:bar"\nlocation = "tagged.local/img"\n',
      'r.conf:2 PP_LINT_PREFIX_TAG_OR_DIGEST',
      '[[registry]]\nprefix = "example.com/foo"\nlocation = "tagged.local/img"\n',
    ],
    [
      'a prefix with a digest never matches a pull',
      `[[registry]]\nprefix = "example.com/dig@sha256:${'a'.repeat(64)}"\nlocation = "d.local/img"\n`,
      'r.conf:2 PP_LINT_PREFIX_TAG_OR_DIGEST',
      '[[registry]]\nprefix = "example.com:5000/dig"\nlocation = "d.local/img"\n',
    ],
    [
      'a registry key written after [[registry.mirror]] lands in the mirror (podman #14306)',
      '[[registry]]\nlocation = "quay.io"\n[[registry.mirror]]\nlocation = "m.local/quay"\nblocked = true\n',
      'r.conf:5 PP_LINT_KEY_IN_MIRROR_TABLE',
      '[[registry]]\nlocation = "quay.io"\nblocked = true\n[[registry.mirror]]\nlocation = "m.local/quay"\n',
    ],
    [
      'a top-level key written after a table header is ignored',
      '[[registry]]\nlocation = "quay.io"\nshort-name-mode = "enforcing"\n',
      'r.conf:3 PP_LINT_TOP_LEVEL_KEY_IN_TABLE',
      'short-name-mode = "enforcing"\n[[registry]]\nlocation = "quay.io"\n',
    ],
    [
      'an unknown key is ignored by the runtime',
      '[[registry]]\nlocation = "quay.io"\nmirror_by_digest_only = true\n',
      'r.conf:3 PP_LINT_UNKNOWN_KEY',
      '[[registry]]\nlocation = "quay.io"\nmirror-by-digest-only = true\n',
    ],
    [
      'a mirror equal to its own location',
      '[[registry]]\nlocation = "registry.com"\n[[registry.mirror]]\nlocation = "registry.com/"\n',
      'r.conf:4 PP_LINT_MIRROR_IS_PRIMARY',
      '[[registry]]\nlocation = "registry.com"\n[[registry.mirror]]\nlocation = "mirror.registry.com"\n',
    ],
    [
      'a duplicate prefix in one file is dropped silently',
      '[[registry]]\nlocation = "registry.com"\n[[registry]]\nprefix = "registry.com"\nlocation = "elsewhere.local"\n',
      'r.conf:3 PP_LINT_DUPLICATE_PREFIX',
      '[[registry]]\nprefix = "registry.com"\nlocation = "elsewhere.local"\n',
    ],
    [
      'prefix = "docker.io" remapped to a path keeps library/ (containers/image #775)',
      '[[registry]]\nprefix = "docker.io"\nlocation = "localhost:5000/docker.io"\n',
      'r.conf:2 PP_LINT_DOCKER_IO_LIBRARY',
      '[[registry]]\nprefix = "docker.io"\nlocation = "localhost:5000/docker.io"\n[[registry]]\nprefix = "docker.io/library"\nlocation = "localhost:5000/docker.io"\n',
    ],
    [
      'a **. wildcard is literal and inert',
      '[[registry]]\nprefix = "**.example.com"\nlocation = "dbl.local"\n',
      'r.conf:2 PP_LINT_INERT_WILDCARD',
      '[[registry]]\nprefix = "*.example.com"\nlocation = "dbl.local"\n',
    ],
    [
      'a *x wildcard (no dot) is literal and inert',
      '[[registry]]\nprefix = "*example.com"\nlocation = "nodot.local"\n',
      'r.conf:2 PP_LINT_INERT_WILDCARD',
      '[[registry]]\nprefix = "*.example.com"\nlocation = "nodot.local"\n',
    ],
    [
      'a mirror location with a trailing / breaks every rewrite before v5.35',
      '[[registry]]\nlocation = "r.com"\n[[registry.mirror]]\nlocation = "m.local/"\n',
      'r.conf:4 PP_LINT_MIRROR_TRAILING_SLASH',
      '[[registry]]\nlocation = "r.com"\n[[registry.mirror]]\nlocation = "m.local"\n',
    ],
    [
      'a location with a tag makes every rewrite fail',
      '[[registry]]\nprefix = "example.com/plain"\nlocation = "plain.local/img:v1"\n',
      'r.conf:3 PP_LINT_LOCATION_REWRITE_FAILS',
      '[[registry]]\nprefix = "example.com/plain"\nlocation = "plain.local/img"\n',
    ],
    [
      'a mirror with an upper-case path aborts the whole pull',
      '[[registry]]\nlocation = "q.com"\n[[registry.mirror]]\nlocation = "m.local/Upper"\n',
      'r.conf:4 PP_LINT_LOCATION_REWRITE_FAILS',
      '[[registry]]\nlocation = "q.com"\n[[registry.mirror]]\nlocation = "m.local/upper"\n',
    ],
    [
      'a bare host location for a repository prefix fails for the prefix itself',
      '[[registry]]\nprefix = "example.com/foo"\nlocation = "example.com"\n',
      'r.conf:3 PP_LINT_BARE_HOST_FOR_REPOSITORY_PREFIX',
      '[[registry]]\nprefix = "example.com/foo"\nlocation = "example.com/bar"\n',
    ],
    [
      'a portless prefix whose location has a port doubles the port for host:port references',
      '[[registry]]\nprefix = "example.com"\nlocation = "example.com:5000"\n',
      'r.conf:2 PP_LINT_PORT_QUIRK',
      '[[registry]]\nprefix = "example.com:5000"\nlocation = "example.com:5000"\n',
    ],
    [
      'a docker.io location cannot rewrite single-component names',
      '[[registry]]\nprefix = "docker.io/library"\nlocation = "docker.io"\n',
      'r.conf:3 PP_LINT_DOCKER_IO_LOCATION',
      '[[registry]]\nprefix = "docker.io/library"\nlocation = "docker.io/library"\n',
    ],
    [
      'an index.docker.io mirror never rewrites canonically',
      '[[registry]]\nlocation = "docker.io"\n[[registry.mirror]]\nlocation = "index.docker.io"\n',
      'r.conf:4 PP_LINT_LOCATION_REWRITE_FAILS',
      '[[registry]]\nlocation = "docker.io"\n[[registry.mirror]]\nlocation = "mirror.gcr.io"\n',
    ],
    [
      'an insecure registry outside loopback',
      '[[registry]]\nlocation = "registry.example.com"\ninsecure = true\n',
      'r.conf:3 PP_LINT_INSECURE_REMOTE',
      '[[registry]]\nlocation = "127.0.0.1:5000"\ninsecure = true\n',
    ],
    [
      'an insecure mirror outside loopback',
      '[[registry]]\nlocation = "quay.io"\n[[registry.mirror]]\nlocation = "cache.example.com/quay"\ninsecure = true\n',
      'r.conf:5 PP_LINT_INSECURE_REMOTE',
      '[[registry]]\nlocation = "quay.io"\n[[registry.mirror]]\nlocation = "localhost:5000/quay"\ninsecure = true\n',
    ],
  ])('%s', (_what, bad, finding, good) => {
    expect(codes(bad)).toContain(finding);
    const code = finding.split(' ')[1]!;
    expect(codes(good).filter((c) => c.endsWith(' ' + code))).toEqual([]);
    const f = lint(bad).findings.find((x) => x.code === code)!;
    expect(f.severity).toBe('warning');
    expect(f.message.length).toBeGreaterThan(20);
    expect(f.fix).toBeTruthy();
  });

  it('does not warn about a mirror trailing / under --compat 5.40, where it is trimmed', () => {
    const text = '[[registry]]\nlocation = "r.com"\n[[registry.mirror]]\nlocation = "m.local/"\n';
    expect(codes(text, { compat: '5.40' })).toEqual([]);
  });

  it('warns when a drop-in replaces a whole entry of an earlier file, losing its mirrors', () => {
    const dropin = { path: 'd/a.conf', text: '[[registry]]\nlocation = "base.com"\nblocked = true\n' };
    expect(codes('[[registry]]\nlocation = "base.com"\n[[registry.mirror]]\nlocation = "m.local"\n', { dropins: [dropin] })).toContain(
      'r.conf:1 PP_LINT_ENTRY_REPLACED',
    );
    const other = { path: 'd/a.conf', text: '[[registry]]\nlocation = "other.com"\n' };
    expect(codes('[[registry]]\nlocation = "base.com"\n', { dropins: [other] })).toEqual([]);
  });

  it('reports load errors as errors with the runtime text, file and line', () => {
    const r = lint('[[registry]]\nlocation = "a.com"\n[[registry.mirror]]\npull-from-mirror = "notvalid"\nlocation = "m.local"\n');
    expect(r.findings[0]).toMatchObject({
      severity: 'error',
      file: 'r.conf',
      line: 4,
      message: 'loading registries configuration "r.conf": unsupported pull-from-mirror value "notvalid" for mirror "m.local"',
    });
    expect(r.config).toBeNull();
  });

  it('finds only the insecure non-loopback mirror in a man-page style config', () => {
    const man = readFileSync(new URL('../fixtures/config/origins-lines.conf', import.meta.url), 'utf8');
    expect(codes(man)).toEqual(['r.conf:13 PP_LINT_INSECURE_REMOTE']);
  });

  it('finds the misplaced keys of the podman #14306 fixture', () => {
    const text = readFileSync(new URL('../fixtures/config/mirror-key-misplaced.conf', import.meta.url), 'utf8');
    expect(codes(text)).toEqual(['r.conf:5 PP_LINT_KEY_IN_MIRROR_TABLE', 'r.conf:6 PP_LINT_TOP_LEVEL_KEY_IN_TABLE']);
  });
});

describe('lint hints for load errors caused by key placement', () => {
  it('explains a top-level key that TOML put in [aliases]', () => {
    const r = lint('[aliases]\nfoo = "quay.io/foo"\nshort-name-mode = "enforcing"\n');
    expect(r.findings.map((f) => `${f.severity} ${f.line} ${f.code}`)).toEqual([
      'error 3 PP_ERR_CONFIG_ALIAS',
      'warning 3 PP_LINT_TOP_LEVEL_KEY_IN_TABLE',
    ]);
  });
});

describe('lint on entries the loader refuses', () => {
  it('reports only the load error for a location with a URI scheme, not warnings on top', () => {
    expect(codes('[[registry]]\nlocation = "https://example.com"\n')).toEqual(['r.conf:2 PP_ERR_CONFIG_INVALID']);
  });
  it('points V1 insecure warnings at the insecure list', () => {
    const text = '[registries.search]\nregistries = ["a.com"]\n\n[registries.insecure]\nregistries = ["b.example.com", "localhost:5000"]\n';
    expect(codes(text)).toEqual(['r.conf:5 PP_LINT_INSECURE_REMOTE']);
  });
});

describe('lint on an invalid entry', () => {
  it('reports the load error once, with no warning about an empty host (review finding)', () => {
    expect(codes('[[registry]]\nprefix = "10.0.0.1:5000"\ninsecure = true\n')).toEqual(['r.conf:1 PP_ERR_CONFIG_INVALID']);
  });
});
