import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { ConfigError } from '../../src/errors.ts';
import { mockImageDigest } from '../../src/mock/image-builder.ts';

const base = `
name = "t"
[config]
registries-conf = '''
[[registry]]
location = "quay.io/acme"
'''
[[registry]]
host = "quay.io"
tls = true
images = [{ repository = "acme/app", tags = ["1.4"] }]
`;

function errorOf(text: string): ConfigError {
  try {
    parseScenario(text, 'scen.toml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('parseScenario', () => {
  it('reads pulls, expectations, mocks and inline config', () => {
    const s = parseScenario(
      base +
        `
[[pull]]
ref = "quay.io/acme/app:1.4"
at = 1.5
timeout-ms = 800
[pull.expect]
outcome = "ok"
source = "quay.io/acme/app:1.4"
attempts = [{ ref = "quay.io/acme/app:1.4", outcome = "ok" }]
max-ms = 2000
`,
      'scen.toml',
    );
    expect(s.name).toBe('t');
    expect(s.config.registriesConf?.text).toContain('quay.io/acme');
    expect(s.config.registriesConf?.source).toBe('inline');
    expect(s.mocks).toEqual([{ host: 'quay.io', key: 'registry[0]', spec: { host: 'quay.io', tls: true, images: [{ repository: 'acme/app', tags: ['1.4'] }] } }]);
    expect(s.pulls[0]).toMatchObject({ ref: 'quay.io/acme/app:1.4', at: 1.5, timeoutMs: 800, repeat: 1 });
    expect(s.pulls[0]!.expect).toEqual({
      outcome: 'ok',
      source: 'quay.io/acme/app:1.4',
      attempts: [{ reference: 'quay.io/acme/app:1.4', outcome: 'ok' }],
      maxMs: 2000,
    });
  });

  it('expands {{digest HOST/REPO:TAG}} with the digest the mock serves', () => {
    const s = parseScenario(
      base +
        `
[[pull]]
ref = "quay.io/acme/app@{{digest quay.io/acme/app:1.4}}"
[pull.expect]
digest = "{{ digest quay.io/acme/app:1.4 }}"
`,
      'scen.toml',
    );
    const d = mockImageDigest({ repository: 'acme/app', tags: ['1.4'] });
    expect(d).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(s.pulls[0]!.ref).toBe(`quay.io/acme/app@${d}`);
    expect(s.pulls[0]!.expect.digest).toBe(d);
  });

  it('keeps a path for registries-conf-file and drop-in files, for the loader to read', () => {
    const s = parseScenario(
      `name = "t"
[config]
registries-conf-file = "confs/main.conf"
dropins = [{ file = "confs/10-a.conf" }, { name = "20-b.conf", text = "x = 1" }]
[[pull]]
ref = "a.example.com/x:1"
`,
      'scen.toml',
    );
    expect(s.config.registriesConf).toEqual({ path: 'confs/main.conf', text: null, source: 'file' });
    expect(s.config.dropins.map((d) => d.source)).toEqual(['file', 'inline']);
  });

  it('reads a pull\'s namespace (null when absent)', () => {
    const s = parseScenario(base + '[[pull]]\nref = "quay.io/a:1"\nnamespace = "team-a"\n[[pull]]\nref = "quay.io/a:1"\n', 'scen.toml');
    expect(s.pulls.map((p) => p.namespace)).toEqual(['team-a', null]);
  });

  it('accepts a mock-only scenario (no [[pull]] tables): pullpath mock serves it', () => {
    expect(parseScenario(base, 'scen.toml').pulls).toEqual([]);
  });

  it.each([
    ['a TOML syntax error, with line and column', 'name = \n', /^scen\.toml:1:\d+: not valid TOML/],
    ['a missing name', base.replace('name = "t"', '') + '[[pull]]\nref = "x.io/a:1"\n', /scen\.toml: name: expected a string \(required\)/],
    ['a misspelt expectation key, with a hint', base + '[[pull]]\nref = "quay.io/a:1"\n[pull.expect]\nerorr-class = "refused"\n', /pull\[0\]\.expect\.erorr-class: unknown key \(did you mean "error-class"\?\)/],
    ['a misspelt namespace key, with a hint', base + '[[pull]]\nref = "quay.io/a:1"\nnamespce = "team"\n', /pull\[0\]\.namespce: unknown key \(did you mean "namespace"\?\)/],
    ['a namespace that is no Kubernetes name', base + '[[pull]]\nref = "quay.io/a:1"\nnamespace = "../team"\n', /pull\[0\]\.namespace: expected a Kubernetes namespace name/],
    ['an unknown error class', base + '[[pull]]\nref = "quay.io/a:1"\n[pull.expect]\nerror-class = "kaput"\n', /pull\[0\]\.expect\.error-class: expected one of "refused", .*got the string "kaput"/],
    ['a wrong outcome', base + '[[pull]]\nref = "quay.io/a:1"\n[pull.expect]\noutcome = "success"\n', /pull\[0\]\.expect\.outcome: expected one of "ok", "failed"/],
    ['an attempt without its outcome', base + '[[pull]]\nref = "quay.io/a:1"\n[pull.expect]\nattempts = [{ ref = "quay.io/a:1" }]\n', /pull\[0\]\.expect\.attempts\[0\]\.outcome: expected one of ok, failed, blocked/],
    ['a negative start time', base + '[[pull]]\nref = "quay.io/a:1"\nat = -1\n', /pull\[0\]\.at: expected a number >= 0, got number -1/],
    ['a fractional repeat', base + '[[pull]]\nref = "quay.io/a:1"\nrepeat = 1.5\n', /pull\[0\]\.repeat: expected an integer >= 1/],
    ['both inline and file registries.conf', base.replace("[config]", "[config]\nregistries-conf-file = 'x.conf'") + '[[pull]]\nref = "quay.io/a:1"\n', /config\.registries-conf: expected either registries-conf \(inline text\) or registries-conf-file/],
    ['no config at all', 'name = "t"\n[[pull]]\nref = "quay.io/a:1"\n', /scen\.toml: config: expected a table \(required\)/],
    ['a host with a scheme', base.replace('host = "quay.io"', 'host = "https://quay.io"') + '[[pull]]\nref = "quay.io/a:1"\n', /registry\[0\]\.host: expected host\[:port\] exactly as written in registries\.conf/],
    ['two registries with one host', base + '[[registry]]\nhost = "quay.io"\n[[pull]]\nref = "quay.io/a:1"\n', /registry\[1\]\.host: "quay\.io" is declared twice/],
    ['a digest template naming an unknown host', base + '[[pull]]\nref = "quay.io/a@{{digest nowhere.io/acme/app:1.4}}"\n', /pull\[0\]\.ref: \{\{digest nowhere\.io\/acme\/app:1\.4\}\}: no \[\[registry\]\] with host = "nowhere\.io"/],
    ['a digest template naming an unknown tag', base + '[[pull]]\nref = "quay.io/a:1"\n[pull.expect]\ndigest = "{{digest quay.io/acme/app:9}}"\n', /pull\[0\]\.expect\.digest: .*declares no image acme\/app:9/],
    ['an error expectation on an ok outcome', base + '[[pull]]\nref = "quay.io/a:1"\n[pull.expect]\noutcome = "ok"\nerror-class = "refused"\n', /pull\[0\]\.expect\.error-class: expected no final error expectation when outcome = "ok"/],
  ])('rejects %s, naming the file and key', (_what, text, message) => {
    const err = errorOf(text);
    expect(err.message).toMatch(message);
    expect(err.file).toBe('scen.toml');
    expect(err.code).toBe('PP_ERR_SCENARIO');
  });

  it('never echoes auth-json text in its error (it holds secrets)', () => {
    const err = errorOf("auth-json = '{\"auths\": {\"h\": {\"auth\": \"c2VjcmV0\"'\n" + base + '[[pull]]\nref = "quay.io/a:1"\n');
    expect(err.message).toMatch(/auth-json: expected a JSON document/);
    expect(err.message).not.toContain('c2VjcmV0');
  });
});

describe('parseScenario and the mock spec', () => {
  it("passes each [[registry]] table to src/mock's parser, which names the key path", () => {
    const err = errorOf(base.replace('tls = true', 'tls = true\nfault = [{ kind = "explode" }]') + '[[pull]]\nref = "quay.io/a:1"\n');
    expect(err.message).toMatch(/^scen\.toml: registry\[0\]\.fault\[0\]/);
  });
});
