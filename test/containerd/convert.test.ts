import { describe, expect, it } from 'vitest';
import { loadRegistriesConfFromTexts } from '../../src/config/load-texts.ts';
import { compileConfig, resolveArg } from '../../src/resolve/index.ts';
import { containerdSetupFromTexts, resolveContainerd } from '../../src/containerd/index.ts';
import { hostsTomlToRegistriesConf, registriesConfToHostsToml } from '../../src/containerd/convert.ts';

const CONF = `unqualified-search-registries = ["docker.io"]

[[registry]]
prefix = "quay.io"
location = "quay.io"

[[registry.mirror]]
location = "mirror.local:5000/quay"
pull-from-mirror = "digest-only"

[[registry.mirror]]
location = "cache.local/quay"
insecure = true

[[registry.mirror]]
location = "tags.local/quay"
pull-from-mirror = "tag-only"

[[registry]]
prefix = "registry.example.com/team"
location = "registry.example.com/team"

[[registry.mirror]]
location = "other.local/elsewhere"

[[registry]]
prefix = "*.zone.example"
location = "zone.example"

[[registry]]
prefix = "blocked.example"
location = "blocked.example"
blocked = true
`;
const conf = () => loadRegistriesConfFromTexts({ main: { path: '/etc/containers/registries.conf', text: CONF }, mainPath: '/etc/containers/registries.conf', dropins: [] });

describe('convert registries-conf --to hosts-toml', () => {
  it('warns for every semantic that does not survive, with file:line', () => {
    const r = registriesConfToHostsToml(conf());
    expect(r.warnings.map((w) => `${w.code} ${w.origin.split(':').pop()}`).sort()).toEqual(
      [
        'convert-blocked 30',
        'convert-insecure 11',
        'convert-mirror-path 23',
        'convert-path-prefix 19',
        'convert-short-names /etc/containers/registries.conf',
        'convert-tag-only 15',
        'convert-wildcard 26',
      ].sort(),
    );
  });

  it('the converted tree sends digest pulls to the same hosts and repositories as containers/image', () => {
    const r = registriesConfToHostsToml(conf());
    const hosts = Object.fromEntries(r.files.map((f) => [f.dir, { path: `/c/${f.dir}/hosts.toml`, text: f.content }]));
    const setup = containerdSetupFromTexts({ hostsDirs: [{ dir: '/c', hosts }] });
    expect(setup.problems).toEqual([]);
    const ref = `quay.io/org/app@sha256:${'c'.repeat(64)}`;
    const cimage = resolveArg(compileConfig(conf()), ref).sources.map((s) => s.reference.replace(/@.*/, ''));
    // containerd contacts host + path prefix + the repository path: the same repository URLs.
    const ctrd = resolveContainerd(setup, ref).sources.map((s) => `${s.containerd!.host}${s.containerd!.path.replace(/^\/v2/, '')}/org/app`);
    // The one difference is the warned one: the tag-only mirror becomes ["pull", "resolve"], so digests use it too.
    expect(ctrd.filter((u) => !u.startsWith('tags.local/'))).toEqual(cimage);
    expect(ctrd).toContain('tags.local/quay/org/app');
  });

  it('every file ends with exactly one newline, also one whose last line is a bare [host] (no mirrors)', () => {
    const text = '[[registry]]\nlocation = "localhost:5000"\ninsecure = true\n';
    const r = registriesConfToHostsToml(loadRegistriesConfFromTexts({ main: { path: 'r.conf', text }, mainPath: 'r.conf', dropins: [] }));
    const local = r.files.find((f) => f.dir === 'localhost:5000')!;
    expect(local.content.endsWith('[host]\n')).toBe(true);
    for (const f of [...r.files, ...registriesConfToHostsToml(conf()).files]) expect(f.content).toMatch(/[^\n]\n$/);
  });
});

describe('convert hosts-toml --to registries-conf', () => {
  it('converts hosts in order with capabilities and TLS, warning for _default, headers and ignored files', () => {
    const setup = containerdSetupFromTexts({
      hostsDirs: [
        {
          dir: '/c',
          hosts: {
            'quay.io': { path: '/c/quay.io/hosts.toml', text: '[host."https://m.local/v2/quay"]\n  capabilities = ["pull"]\n  override_path = true\n[host."http://plain.local:5000"]\n  [host."http://plain.local:5000".header]\n    x-token = "t"\n' },
            _default: { path: '/c/_default/hosts.toml', text: '[host."https://all.local"]\n' },
            'bad.example': { path: '/c/bad.example/hosts.toml', text: 'server = "https://x"\n' },
          },
        },
      ],
    });
    const r = hostsTomlToRegistriesConf(setup);
    expect(r.text).toContain('[[registry]]\nprefix = "quay.io"\nlocation = "quay.io"\n\n[[registry.mirror]]\nlocation = "m.local/quay"\npull-from-mirror = "digest-only"\n\n[[registry.mirror]]\nlocation = "plain.local:5000"\ninsecure = true\n');
    expect(r.warnings.map((w) => w.code).sort()).toEqual(['convert-default', 'convert-headers', 'convert-ignored-file', 'convert-insecure']);
    // The output loads as registries.conf.
    const loaded = loadRegistriesConfFromTexts({ main: { path: 'out.conf', text: r.text }, mainPath: 'out.conf', dropins: [] });
    expect(loaded.registries.map((e) => e.prefix)).toEqual(['quay.io']);
  });
});
