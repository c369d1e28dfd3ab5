/**
 * Short names: upstream TestResolve / TestResolveWithVaryingShortNameModes / TestResolveAndRecord
 * (pkg/shortnames) and the alias precedence of TestAliasesWithDropInConfigs (sysregistriesv2).
 */
import { describe, expect, it } from 'vitest';
import { resolveShortName } from '../../src/resolve/index.ts';
import { confFrom } from './helpers.ts';

const d = `sha256:${'a'.repeat(64)}`;
const ALIASES_CONF = `short-name-mode="enforcing"
[aliases]
docker="docker.io/library/foo"
"quay/foo"="quay.io/library/foo"
example="example.com/library/foo"
empty=""
`;

const candidates = (conf: ReturnType<typeof confFrom>, name: string) => {
  const r = resolveShortName(conf, name);
  return r.error ?? r.candidates.map((c) => c.ref.string());
};

describe('resolveShortName (TestResolve, aliases.conf)', () => {
  const conf = confFrom(ALIASES_CONF, { path: 'testdata/aliases.conf' });
  it.each([
    ['docker', ['docker.io/library/foo:latest']],
    ['docker:tag', ['docker.io/library/foo:tag']],
    [`docker@${d}`, [`docker.io/library/foo@${d}`]],
    ['quay/foo', ['quay.io/library/foo:latest']],
    ['example', ['example.com/library/foo:latest']],
    ['registry.com/repo/image', ['registry.com/repo/image:latest']],
    ['localhost/repo/fedora:sometag', ['localhost/repo/fedora:sometag']],
    ['docker.io/foo', ['docker.io/library/foo:latest']],
  ])('%s → %j', (name, expected) => {
    expect(candidates(conf, name)).toEqual(expected);
  });

  it('describes an alias hit with the file that defines it', () => {
    expect(resolveShortName(conf, 'docker:1').description).toBe('Resolved "docker" as an alias (testdata/aliases.conf)');
  });

  it.each([
    ['doesnotexist', 'short-name "doesnotexist" did not resolve to an alias and no unqualified-search registries are defined in "testdata/aliases.conf"'],
    ['empty', 'short-name "empty" did not resolve to an alias and no unqualified-search registries are defined in "testdata/aliases.conf"'],
    ['', 'cannot parse input: "": repository name must have at least one component'],
    ['Invalid#$', 'cannot parse input: "Invalid#$": invalid reference format'],
  ])('%j fails: %s', (name, error) => {
    expect(resolveShortName(conf, name).error).toBe(error);
  });
});

describe('short-name-mode with no terminal (TestResolveWithVaryingShortNameModes)', () => {
  const conf = (mode: string, usr: string[]) =>
    confFrom(`short-name-mode = "${mode}"\nunqualified-search-registries = ${JSON.stringify(usr)}\n[aliases]\n"repo/image" = "quay.io/repo/image"\n`);
  it.each(['enforcing', 'permissive', 'disabled'])('%s: an alias hit is one candidate', (mode) => {
    expect(candidates(conf(mode, ['quay.io', 'registry.com']), 'repo/image')).toEqual(['quay.io/repo/image:latest']);
  });
  it.each(['enforcing', 'permissive', 'disabled'])('%s: one search registry is one candidate', (mode) => {
    expect(candidates(conf(mode, ['quay.io']), 'foo')).toEqual(['quay.io/foo:latest']);
  });
  it.each(['permissive', 'disabled'])('%s: two search registries give both, in order', (mode) => {
    expect(candidates(conf(mode, ['quay.io', 'registry.com']), 'repo/foo:tag')).toEqual(['quay.io/repo/foo:tag', 'registry.com/repo/foo:tag']);
  });
  it('enforcing: two search registries without a terminal is an error', () => {
    expect(candidates(conf('enforcing', ['quay.io', 'registry.com']), 'foo')).toBe('short-name resolution enforced but cannot prompt without a TTY');
  });
  it('docker.io as a search registry adds library/', () => {
    expect(candidates(conf('permissive', ['docker.io']), 'foo')).toEqual(['docker.io/library/foo:latest']);
  });
  it('with no config file at all, says so', () => {
    const c = { ...conf('permissive', []), unqualifiedSearchOrigin: null, unqualifiedSearchRegistries: null };
    expect(resolveShortName(c, 'foo').error).toBe('short-name "foo" did not resolve to an alias and no containers-registries.conf(5) was found');
  });
});

describe('alias precedence (TestAliasesWithDropInConfigs)', () => {
  const conf = confFrom(ALIASES_CONF, {
    path: 'main.conf',
    dropins: [
      { path: 'd/config-1.conf', text: '[aliases]\ndocker = "docker.io/library/config1"\nbarz = "barz.com/image/config1"\n' },
      { path: 'd/config-2.conf', text: '[aliases]\nbarz = "barz.com/config2"\nexample = ""\n' },
    ],
    userAliases: '[aliases]\nbarz = "user.local/barz"\nquay/foo = ""\n'.replace('quay/foo', '"quay/foo"'),
  });
  it('a later drop-in wins over an earlier file', () => {
    expect(candidates(conf, 'docker')).toEqual(['docker.io/library/config1:latest']);
  });
  it('the user alias cache wins over every registries.conf file', () => {
    expect(candidates(conf, 'barz')).toEqual(['user.local/barz:latest']);
    expect(resolveShortName(conf, 'barz').description).toBe('Resolved "barz" as an alias (aliases.conf)');
  });
  it('an alias erased with "" (in a drop-in or the user cache) is no alias', () => {
    expect(resolveShortName(conf, 'example').error).toMatch(/did not resolve to an alias/);
    expect(resolveShortName(conf, 'quay/foo').error).toMatch(/did not resolve to an alias/);
  });
  it('a bad user alias cache fails short names only, with the runtime text', () => {
    const bad = confFrom('unqualified-search-registries = ["quay.io"]\n', { userAliases: '[aliases]\nfoo = "foo:1"\n' });
    expect(resolveShortName(bad, 'foo').error).toBe('loading short-name aliases config file "aliases.conf": invalid alias "foo:1": must not contain tag');
    expect(resolveShortName(bad, 'quay.io/foo').error).toBeNull();
  });
});
