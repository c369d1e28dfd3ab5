/**
 * The pure loader against upstream example values (containers/image system_registries_v2_test.go and
 * testdata/*.conf, research §2, §3.3, §10, §12). Each table row names the upstream test or rule it pins.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { RegistriesConfError, runtimeErrorText } from '../../src/config/config-error.ts';
import { parseLocation } from '../../src/config/location.ts';
import { ConfigError } from '../../src/errors.ts';
import type { CompatVersion, ConfigText } from '../../src/config/types.ts';

const fixture = (name: string): ConfigText => {
  const url = new URL(`../fixtures/config/${name}`, import.meta.url);
  return { path: `fixtures/${name}`, text: readFileSync(url, 'utf8') };
};

function load(text: string, opts: { dropins?: ConfigText[]; compat?: CompatVersion } = {}) {
  return loadRegistriesConfFromTexts({
    main: { path: 'r.conf', text },
    mainPath: 'r.conf',
    dropins: opts.dropins ?? [],
    compat: opts.compat ?? '5.23',
  });
}

function loadError(text: string, opts: { dropins?: ConfigText[]; compat?: CompatVersion } = {}): RegistriesConfError {
  try {
    load(text, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(RegistriesConfError);
    expect(err).toBeInstanceOf(ConfigError);
    return err as RegistriesConfError;
  }
  throw new Error('expected a load error');
}

describe('parseLocation (TestParseLocation)', () => {
  it.each([
    ['example.com', 'example.com'],
    ['example.com/', 'example.com'],
    ['example.com//////', 'example.com'],
    ['example.com:5000/with/path', 'example.com:5000/with/path'],
    ['john.doe@example.com', 'john.doe@example.com'],
    ['docker://x', 'docker://x'],
    ['', ''],
  ])('%s → %s', (input, want) => {
    expect(parseLocation(input)).toEqual({ ok: true, value: want });
  });
  it('refuses URI schemes quoting the untrimmed input', () => {
    expect(parseLocation('https://example.com/')).toEqual({
      ok: false,
      error: "invalid location 'https://example.com/': URI schemes are not supported",
    });
  });
});

describe('validation errors, in the runtime wording (research §2.3)', () => {
  it.each([
    ['[[registry]]\ninsecure = true\n', 'invalid condition: both location and prefix are unset', 1],
    ['[[registry]]\nprefix = "example.com"\n', 'invalid condition: location is unset and prefix is not in the format: *.example.com', 1],
    ['[[registry]]\nlocation = "https://example.com"\n', "invalid location 'https://example.com': URI schemes are not supported", 2],
    ['[[registry]]\nlocation = "r:5000"\nprefix = "http://schema-is-invalid.com"\n', "invalid location 'http://schema-is-invalid.com': URI schemes are not supported", 3],
    ['[[registry]]\nlocation = "a.com"\n[[registry.mirror]]\nlocation = "b.com"\n[[registry.mirror]]\n', 'invalid condition: mirror location is unset', 5],
    ['[[registry]]\nlocation = "a.com"\n[[registry.mirror]]\nlocation = "///"\n', 'invalid condition: mirror location is unset', 3],
    [
      '[[registry]]\nprefix = "registry-a.com/foo"\nlocation = "registry-a.com/bar"\npull-from-mirror = "digest-only"\n',
      'pull-from-mirror must not be set for a non-mirror registry "registry-a.com/foo"',
      4,
    ],
    [
      '[[registry]]\nprefix = "registry-a.com/foo"\nlocation = "registry-a.com/bar"\nmirror-by-digest-only = true\n[[registry.mirror]]\npull-from-mirror = "all"\nlocation = "mirror-1.registry-a.com"\n',
      'cannot set mirror usage mirror-by-digest-only for the registry ("registry-a.com/foo") and pull-from-mirror for per-mirror ("mirror-1.registry-a.com") at the same time',
      6,
    ],
    [
      '[[registry]]\nlocation = "a.com"\n[[registry.mirror]]\npull-from-mirror = "notvalid"\nlocation = "mirror-1.registry-a.com"\n',
      'unsupported pull-from-mirror value "notvalid" for mirror "mirror-1.registry-a.com"',
      4,
    ],
    ['[[registry]]\nlocation = "registry.com"\n\n[[registry]]\nlocation = "registry.com"\ninsecure = true\n', "registry 'registry.com' is defined multiple times with conflicting 'insecure' setting", 4],
    ['[[registry]]\nlocation = "registry.com"\n[[registry]]\nlocation = "registry.com"\nblocked = true\n', "registry 'registry.com' is defined multiple times with conflicting 'blocked' setting", 3],
    ['[[registry]]\nprefix = "a.com/x"\nlocation = "z.com"\n[[registry]]\nprefix = "b.com/y"\nlocation = "z.com"\ninsecure = true\n', "registry 'z.com' is defined multiple times with conflicting 'insecure' setting", 4],
    ['unqualified-search-registries = ["registry-a.com/namespace-is-forbidden"]\n', 'Invalid unqualified-search-registries entry "registry-a.com/namespace-is-forbidden"', 1],
    ['unqualified-search-registries = ["https://registry-a.com"]\n', "invalid location 'https://registry-a.com': URI schemes are not supported", 1],
    ['short-name-mode = "prompt"\n', 'invalid short-name mode: "prompt"', 1],
    ['[[registry]]\nprefix = "*.example.com/foo"\nlocation = "x.local"\n', 'Wildcarded prefix should be in the format: *.example.com. Current prefix "*.example.com/foo" is incorrectly formatted', 1],
    ['[[registry]]\nprefix = "*.example.com:5000"\nlocation = "x.local"\n', 'Wildcarded prefix should be in the format: *.example.com. Current prefix "*.example.com:5000" is incorrectly formatted', 1],
    ['[aliases]\nimage1 = "quay.io/repo/image:1"\n', 'validating short-name aliases: invalid alias "quay.io/repo/image:1": must not contain tag', 2],
    ['[aliases]\nimage2 = "image"\n', 'validating short-name aliases: invalid alias "image": must contain registry and repository', 2],
    ['[aliases]\n"quay.io/foo" = "quay.io/library/foo"\n', 'validating short-name aliases: invalid short name "quay.io/foo": must not contain registry', 2],
    ['[aliases]\n"foo:1" = "quay.io/library/foo"\n', 'validating short-name aliases: invalid short name "foo:1": must not contain tag', 2],
    ['[[registry]]\nlocation = "example.com"\ninsecure = "yes"\n', 'toml: line 3 (last key "registry.insecure"): incompatible types: TOML value has type string; destination has type boolean', 3],
  ])('%j → %s (line %d)', (text, message, line) => {
    const err = loadError(text);
    expect(err.runtimeMessage).toBe(`loading registries configuration "r.conf": ${message}`);
    expect(err.file).toBe('r.conf');
    expect(err.line).toBe(line);
    expect(err.message).toContain(`(r.conf:${line})`);
  });

  it('names the line of a TOML syntax error', () => {
    const err = loadError('short-name-mode = "enforcing"\n[[registry]\nlocation = "x"\n');
    expect(err.line).toBe(2);
    expect(err.runtimeMessage).toMatch(/^loading registries configuration "r.conf": toml: line 2: /);
  });

  it('refuses a [[registry.mirror]] without a [[registry]] (podman #5764) as a type error', () => {
    const err = loadError('[[registry.mirror]]\nlocation = "m.local"\n');
    expect(err.runtimeMessage).toContain('incompatible types');
    expect(err.runtimeMessage).toContain('last key "registry"');
  });

  it('wraps drop-in errors as drop-in errors in v5.23 and as plain ones in v5.40', () => {
    const bad = { path: 'd/bad.conf', text: '[[registry]]\nprefix = "example.com"\n' };
    expect(loadError('', { dropins: [bad] }).runtimeMessage).toBe(
      'loading drop-in registries configuration "d/bad.conf": invalid condition: location is unset and prefix is not in the format: *.example.com',
    );
    expect(loadError('', { dropins: [bad], compat: '5.40' }).runtimeMessage).toBe(
      'loading registries configuration "d/bad.conf": invalid condition: location is unset and prefix is not in the format: *.example.com',
    );
  });

  it('refuses a missing main file only when it was required (an explicit --registries-conf)', () => {
    const base = { main: null, mainPath: '/x/registries.conf', dropins: [] };
    expect(loadRegistriesConfFromTexts(base).registries).toEqual([]);
    expect(() => loadRegistriesConfFromTexts({ ...base, mainRequired: true })).toThrow(
      'loading registries configuration "/x/registries.conf": open /x/registries.conf: no such file or directory',
    );
  });
});

describe('decoding like BurntSushi/toml (research §1.3)', () => {
  it('matches key names case-insensitively when there is no exact match', () => {
    const conf = load('[[registry]]\nLocation = "quay.io"\nINSECURE = true\n');
    expect(conf.registries[0]).toMatchObject({ prefix: 'quay.io', location: 'quay.io', insecure: true });
  });

  it('ignores unknown keys, including registry keys that TOML put in a mirror table (podman #14306)', () => {
    const conf = load('foo = 1\n[[registry]]\nlocation = "a.com"\nmirrors = ["x"]\n[[registry.mirror]]\nlocation = "m.local"\nblocked = true\nshort-name-mode = "enforcing"\n');
    expect(conf.registries[0]).toMatchObject({ blocked: false, mirrors: [{ location: 'm.local', insecure: false, pullFromMirror: '' }] });
    expect(conf.shortNameMode).toBe('permissive');
  });

  it('accepts inline mirror arrays', () => {
    const conf = load('[[registry]]\nlocation = "a.com"\nmirror = [{ location = "m1.local" }, { location = "m2.local", insecure = true }]\n');
    expect(conf.registries[0]!.mirrors.map((m) => [m.location, m.insecure])).toEqual([['m1.local', false], ['m2.local', true]]);
  });
});

describe('post-processing (research §2.2)', () => {
  it('defaults prefix to location, trims trailing slashes, keeps the first duplicate prefix and sorts by byte order', () => {
    const conf = load(
      '[[registry]]\nlocation = "registry.com//"\n[[registry.mirror]]\nlocation = "first.local"\n' +
        '[[registry]]\nlocation = "registry.com"\n[[registry.mirror]]\nlocation = "second.local"\n' +
        '[[registry]]\nprefix = "*.b.com"\nlocation = "wild.local"\n[[registry]]\nlocation = "a.b.com"\n',
    );
    expect(conf.registries.map((r) => r.prefix)).toEqual(['*.b.com', 'a.b.com', 'registry.com']);
    expect(conf.registries[2]!.mirrors.map((m) => m.location)).toEqual(['first.local']);
  });

  it('keeps a trailing "/" on mirror locations in v5.23 and trims it in v5.40 (research §12)', () => {
    const text = '[[registry]]\nlocation = "r.com/"\n[[registry.mirror]]\nlocation = "m.local/"\n';
    expect(load(text).registries[0]!.mirrors[0]!.location).toBe('m.local/');
    expect(load(text, { compat: '5.40' }).registries[0]!.mirrors[0]!.location).toBe('m.local');
  });

  it('applies defaults after merging: permissive mode, containers-auth.json helper', () => {
    const conf = load('');
    expect(conf.shortNameMode).toBe('permissive');
    expect(conf.credentialHelpers).toEqual(['containers-auth.json']);
    expect(conf.unqualifiedSearchRegistries).toBeNull();
    expect(conf.unqualifiedSearchOrigin).toBe('r.conf');
  });
});

describe('V1 format (research §2.1, §12)', () => {
  it('converts v1-compatibility.conf as TestV1BackwardsCompatibility expects', () => {
    const t = fixture('v1-compatibility.conf');
    const conf = loadRegistriesConfFromTexts({ main: t, mainPath: t.path, dropins: [] });
    expect(conf.registries.map((r) => [r.prefix, r.insecure, r.blocked])).toEqual([
      ['registry-a.com', true, false],
      ['registry-b.com', true, true],
      ['registry-d.com', true, false],
      ['registry-e.com', true, false],
    ]);
    expect(conf.unqualifiedSearchRegistries).toEqual(['registry-a.com', 'registry-c.com', 'registry-d.com']);
  });

  it('refuses V1 mixed with V2, and V1 in drop-ins', () => {
    expect(loadError('unqualified-search-registries = ["a.com"]\n[registries.search]\nregistries = ["a.com"]\n').runtimeMessage).toBe(
      'loading registries configuration "r.conf": mixing sysregistry v1/v2 is not supported',
    );
    expect(loadError('', { dropins: [{ path: 'd/v1.conf', text: '[registries.search]\nregistries = ["a.com"]\n' }] }).runtimeMessage).toBe(
      'loading drop-in registries configuration "d/v1.conf": registry must be in v2 format but is in v1',
    );
  });

  it('accepts empty V1 lists beside V2 in v5.23 but refuses any V1 key in v5.40', () => {
    const text = '[registries.search]\nregistries = []\n[[registry]]\nlocation = "registry-a.com"\n';
    expect(load(text).registries.map((r) => r.prefix)).toEqual(['registry-a.com']);
    expect(loadError(text, { compat: '5.40' }).runtimeMessage).toBe(
      'loading registries configuration "r.conf": registries.conf must be in v2 format but is in v1',
    );
  });
});

describe('drop-in merge rules (research §3.3, TestRegistriesConfDirectory, TestCredentialHelpers)', () => {
  const main = fixture('dropins-override/registries.conf');
  const d1 = fixture('dropins-override/registries.conf.d/config-1.conf');
  const d2 = fixture('dropins-override/registries.conf.d/config-2.conf');
  const conf = loadRegistriesConfFromTexts({ main, mainPath: main.path, dropins: [d1, d2] });

  it('replaces whole entries by prefix, last file wins (base.com loses insecure and its mirror)', () => {
    const base = conf.registries.find((r) => r.prefix === 'base.com')!;
    expect(base).toMatchObject({ insecure: false, blocked: true, mirrors: [] });
    expect(base.origin.file).toBe(d2.path);
    expect(conf.registries.map((r) => r.prefix)).toEqual(['1.com', 'base.com']);
  });

  it('replaces lists when the key is present, keeping their origin', () => {
    expect(conf.unqualifiedSearchRegistries).toEqual(['example-overwrite.com']);
    expect(conf.unqualifiedSearchOrigin).toBe(d1.path);
    expect(conf.credentialHelpers).toEqual(['dropin-1', 'dropin-2']);
  });

  it('merges aliases per key; "" erases with the erasing file as origin', () => {
    expect(conf.aliases.get('docker')).toMatchObject({ value: '', origin: { file: d2.path } });
  });

  it('lets an explicit [] override and an absent key keep the base', () => {
    const empty = { path: 'd/a.conf', text: 'unqualified-search-registries = []\ncredential-helpers = []\n' };
    const c = load('unqualified-search-registries = ["a.com"]\ncredential-helpers = ["h1"]\nshort-name-mode = "enforcing"\n', {
      dropins: [empty, { path: 'd/b.conf', text: '# nothing\n' }],
    });
    expect(c.unqualifiedSearchRegistries).toEqual([]);
    expect(c.credentialHelpers).toEqual(['containers-auth.json']);
    expect(c.shortNameMode).toBe('enforcing');
  });

  it('never checks insecure/blocked conflicts across files', () => {
    const c = load('[[registry]]\nlocation = "r.com"\ninsecure = true\n', {
      dropins: [{ path: 'd/a.conf', text: '[[registry]]\nprefix = "q.com"\nlocation = "r.com"\nblocked = true\n' }],
    });
    expect(c.registries.map((r) => [r.prefix, r.insecure, r.blocked])).toEqual([['q.com', false, true], ['r.com', true, false]]);
  });

  it('lists the files read, in load order', () => {
    expect(conf.files).toEqual([main.path, d1.path, d2.path]);
  });
});

describe('origins: every entry, mirror and alias keeps file:line', () => {
  const t = fixture('origins-lines.conf');
  const conf = loadRegistriesConfFromTexts({ main: t, mainPath: t.path, dropins: [] });
  it('records [[registry]] and [[registry.mirror]] header lines', () => {
    const foo = conf.registries.find((r) => r.prefix === 'example.com/foo')!;
    expect(foo.origin).toEqual({ file: t.path, line: 4 });
    expect(foo.mirrors.map((m) => m.origin.line)).toEqual([8, 11]);
  });
  it('uses the mirror = [...] key line for inline mirrors', () => {
    const reg = conf.registries.find((r) => r.prefix === 'registry.com')!;
    expect(reg.origin.line).toBe(15);
    expect(reg.mirrors[0]!.origin.line).toBe(17);
  });
  it('records alias lines and normalizes values', () => {
    expect(conf.aliases.get('fedora')).toEqual({ name: 'fedora', value: 'registry.fedoraproject.org/fedora', origin: { file: t.path, line: 20 } });
    expect(conf.aliases.get('busybox')!.value).toBe('docker.io/library/busybox');
  });
});

describe('user alias cache (research §8.3)', () => {
  it('loads valid aliases and keeps an invalid file as a lookup-time error, not a load error', () => {
    const base = { main: { path: 'r.conf', text: '' }, mainPath: 'r.conf', dropins: [] };
    const ok = loadRegistriesConfFromTexts({ ...base, userAliases: { path: 'u.conf', text: '[aliases]\nfoo = "quay.io/foo"\n' } });
    expect(ok.userAliases.get('foo')?.value).toBe('quay.io/foo');
    expect(ok.userAliasesError ?? null).toBeNull();
    const bad = loadRegistriesConfFromTexts({ ...base, userAliases: { path: 'u.conf', text: '[aliases]\nfoo = "foo:1"\n' } });
    expect(bad.userAliasesError).toBe('loading short-name aliases config file "u.conf": invalid alias "foo:1": must not contain tag');
    expect(bad.userAliases.size).toBe(0);
  });
});

describe('runtimeErrorText', () => {
  it('gives the runtime wording without our line suffix', () => {
    const err = loadError('short-name-mode = "x"\n');
    expect(runtimeErrorText(err)).toBe('loading registries configuration "r.conf": invalid short-name mode: "x"');
  });
});
