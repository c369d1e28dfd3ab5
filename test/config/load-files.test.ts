/**
 * File discovery (research §3.1–§3.2 classic, §12 v5.40) on temp dirs with a fake HOME, env and system root:
 * never the real /etc.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRegistriesConf, type LoadFilesOptions } from '../../src/config/load-files.ts';
import { runtimeErrorText } from '../../src/config/config-error.ts';
import { loadConfigFromFlags, parseCompat } from '../../cli/config-flags.ts';

let root: string;
let home: string;
let sys: string;

function write(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const reg = (loc: string): string => `[[registry]]\nlocation = "${loc}"\n`;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pullpath-discovery-'));
  home = join(root, 'home');
  sys = join(root, 'sys');
  mkdirSync(home, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const opts = (o: Partial<LoadFilesOptions> = {}): LoadFilesOptions => ({ home, env: {}, systemRoot: sys, uid: 1000, ...o });
const prefixes = async (o: Partial<LoadFilesOptions> = {}) => (await loadRegistriesConf(opts(o))).config.registries.map((r) => r.prefix);

describe('classic discovery (v5.23)', () => {
  it('reads the system file and system then user drop-ins, each dir sorted by byte order, *.conf only, not recursive', async () => {
    write(join(sys, 'etc/containers/registries.conf'), reg('system.com'));
    write(join(sys, 'etc/containers/registries.conf.d/9-b.conf'), 'unqualified-search-registries = ["nine.com"]\n');
    write(join(sys, 'etc/containers/registries.conf.d/10-a.conf'), 'unqualified-search-registries = ["ten.com"]\n');
    write(join(sys, 'etc/containers/registries.conf.d/zz.ignore'), reg('ignored.com'));
    write(join(sys, 'etc/containers/registries.conf.d/sub/inner.conf'), reg('inner.com'));
    write(join(home, '.config/containers/registries.conf.d/0-user.conf'), reg('user-dropin.com'));
    const { config, files } = await loadRegistriesConf(opts());
    expect(files).toEqual([
      join(sys, 'etc/containers/registries.conf'),
      join(sys, 'etc/containers/registries.conf.d/10-a.conf'),
      join(sys, 'etc/containers/registries.conf.d/9-b.conf'),
      join(home, '.config/containers/registries.conf.d/0-user.conf'),
    ]);
    expect(config.unqualifiedSearchRegistries).toEqual(['nine.com']);
    expect(config.registries.map((r) => r.prefix)).toEqual(['system.com', 'user-dropin.com']);
    expect(config.configPath).toBe(join(sys, 'etc/containers/registries.conf'));
    expect(config.configDirPath).toBe(join(home, '.config/containers/registries.conf.d'));
  });

  it('lets an existing (even empty) user file hide the system file and the system drop-ins (podman #3644)', async () => {
    write(join(sys, 'etc/containers/registries.conf'), reg('system.com'));
    write(join(sys, 'etc/containers/registries.conf.d/a.conf'), reg('system-dropin.com'));
    write(join(home, '.config/containers/registries.conf'), '');
    write(join(home, '.config/containers/registries.conf.d/b.conf'), reg('user-dropin.com'));
    expect(await prefixes()).toEqual(['user-dropin.com']);
  });

  it('treats a missing default file as empty', async () => {
    expect(await prefixes()).toEqual([]);
  });

  it('requires an explicit --registries-conf to exist, and still reads the default drop-in dirs', async () => {
    write(join(sys, 'etc/containers/registries.conf.d/a.conf'), reg('dropin.com'));
    const p = write(join(root, 'mine.conf'), reg('mine.com'));
    expect(await prefixes({ registriesConf: p })).toEqual(['dropin.com', 'mine.com']);
    const missing = join(root, 'missing.conf');
    await expect(loadRegistriesConf(opts({ registriesConf: missing }))).rejects.toThrow(
      `loading registries configuration "${missing}": open ${missing}: no such file or directory`,
    );
  });

  it('reads only --registries-conf-dir when given', async () => {
    write(join(sys, 'etc/containers/registries.conf.d/a.conf'), reg('default-dropin.com'));
    const d = join(root, 'd');
    write(join(d, 'x.conf'), reg('explicit-dropin.com'));
    expect(await prefixes({ registriesConfDir: d })).toEqual(['explicit-dropin.com']);
  });

  it('takes CONTAINERS_REGISTRIES_CONF as the main file (must exist; drop-ins still read)', async () => {
    const p = write(join(root, 'env.conf'), reg('env.com'));
    write(join(home, '.config/containers/registries.conf'), reg('user.com'));
    write(join(home, '.config/containers/registries.conf.d/a.conf'), reg('user-dropin.com'));
    expect(await prefixes({ env: { CONTAINERS_REGISTRIES_CONF: p } })).toEqual(['env.com', 'user-dropin.com']);
  });

  it('reads the user alias cache from ~/.cache (or --short-name-aliases)', async () => {
    write(join(home, '.cache/containers/short-name-aliases.conf'), '[aliases]\nfoo = "quay.io/foo"\n');
    const { config } = await loadRegistriesConf(opts());
    expect(config.userAliases.get('foo')?.value).toBe('quay.io/foo');
    expect(config.userAliasesPath).toBe(join(home, '.cache/containers/short-name-aliases.conf'));
    const other = write(join(root, 'aliases.conf'), '[aliases]\nbar = "quay.io/bar"\n');
    const c2 = (await loadRegistriesConf(opts({ shortNameAliases: other }))).config;
    expect([...c2.userAliases.keys()]).toEqual(['bar']);
  });

  it('keeps an unreadable user alias cache as a short-name error, not a load error', async () => {
    const dirAsFile = join(root, 'aliases-dir');
    mkdirSync(dirAsFile);
    const { config } = await loadRegistriesConf(opts({ shortNameAliases: dirAsFile }));
    expect(config.userAliasesError).toBe(`loading short-name aliases config file "${dirAsFile}": read ${dirAsFile}: is a directory`);
  });

  it('wraps drop-in errors with the drop-in path', async () => {
    const bad = write(join(sys, 'etc/containers/registries.conf.d/bad.conf'), '[[registry]]\nprefix = "example.com"\n');
    const err = await loadRegistriesConf(opts()).catch((e: unknown) => e);
    expect(runtimeErrorText(err)).toBe(
      `loading drop-in registries configuration "${bad}": invalid condition: location is unset and prefix is not in the format: *.example.com`,
    );
  });
});

describe('v5.40 discovery (--compat 5.40)', () => {
  it('reads user and system drop-ins together, one file per basename (user wins), sorted by basename across dirs', async () => {
    write(join(home, '.config/containers/registries.conf'), '');
    write(join(home, '.config/containers/registries.conf.d/b.conf'), reg('user-b.com'));
    write(join(sys, 'etc/containers/registries.conf.d/b.conf'), reg('system-b.com'));
    write(join(sys, 'etc/containers/registries.conf.d/a.conf'), reg('system-a.com'));
    write(join(sys, 'usr/share/containers/registries.conf.d/c.conf'), reg('usr-c.com'));
    const { files, config } = await loadRegistriesConf(opts({ compat: '5.40' }));
    expect(files).toEqual([
      join(home, '.config/containers/registries.conf'),
      join(sys, 'etc/containers/registries.conf.d/a.conf'),
      join(home, '.config/containers/registries.conf.d/b.conf'),
      join(sys, 'usr/share/containers/registries.conf.d/c.conf'),
    ]);
    expect(config.registries.map((r) => r.prefix)).toEqual(['system-a.com', 'user-b.com', 'usr-c.com']);
  });

  it('skips all drop-ins when CONTAINERS_REGISTRIES_CONF names the file', async () => {
    const p = write(join(root, 'env.conf'), reg('env.com'));
    write(join(sys, 'etc/containers/registries.conf.d/a.conf'), reg('dropin.com'));
    expect(await prefixes({ compat: '5.40', env: { CONTAINERS_REGISTRIES_CONF: p } })).toEqual(['env.com']);
  });

  it('falls back to /usr/share/containers/registries.conf', async () => {
    write(join(sys, 'usr/share/containers/registries.conf'), reg('usr.com'));
    expect(await prefixes({ compat: '5.40' })).toEqual(['usr.com']);
  });
});

describe('cli/config-flags', () => {
  it('loads what the flags name', async () => {
    const p = write(join(root, 'flags.conf'), reg('flags.com'));
    const conf = await loadConfigFromFlags(
      { 'registries-conf': p, 'registries-conf-dir': join(root, 'none') },
      { home, env: {}, systemRoot: sys },
    );
    expect(conf.registries.map((r) => r.prefix)).toEqual(['flags.com']);
    expect(conf.compat).toBe('5.23');
  });
  it('accepts 5.23 and 5.40 for --compat and refuses anything else', () => {
    expect(parseCompat(undefined)).toBe('5.23');
    expect(parseCompat('5.40')).toBe('5.40');
    expect(() => parseCompat('5.99')).toThrow('--compat: expected 5.23 or 5.40, got "5.99"');
  });
});
