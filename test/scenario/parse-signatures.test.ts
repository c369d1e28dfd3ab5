/**
 * Scenario keys for signature incidents: config.policy-json (with the mocks' key placeholders),
 * config.registries-d, and the `signatures` expectation. Misspelt keys are errors with a hint.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { prepareScenario } from '../../src/scenario/prepare.ts';
import { ConfigError } from '../../src/errors.ts';
import { fillSigstorePlaceholders, scenarioRegistriesD } from '../../src/scenario/signature-files.ts';

const head = `
name = "t"
[config]
registries-conf = '''
[[registry]]
location = "quay.io/acme"
'''
`;
const mock = (signs: boolean) => `
[[registry]]
host = "quay.io"
${signs ? 'signatures = "sigstore"' : ''}
images = [{ repository = "acme/app", tags = ["1.4"] }]
`;
const POLICY = `policy-json = '''{"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker":{"quay.io/acme":[{"type":"sigstoreSigned","keyPath":"{{sigstore-pub}}","signedIdentity":{"type":"matchRepoDigestOrExact"}}]}}}'''\n`;
const REGD = `[[config.registries-d]]\nname = "sigstore-registries.yaml"\ntext = '''\ndocker:\n  quay.io/acme:\n    use-sigstore-attachments: true\n'''\n`;

function errorOf(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('scenario signature keys', () => {
  it('reads policy-json, registries-d and the signatures expectation', () => {
    const s = parseScenario(head + POLICY + REGD + mock(true) + '[[pull]]\nref = "quay.io/acme/app:1.4"\n[pull.expect]\nsignatures = "verified"\n', 's.toml');
    expect(s.config.policyJson).toContain('{{sigstore-pub}}');
    expect(s.config.registriesD).toEqual([{ name: 'sigstore-registries.yaml', text: 'docker:\n  quay.io/acme:\n    use-sigstore-attachments: true\n' }]);
    expect(s.pulls[0]!.expect.signatures).toBe('verified');
    expect(scenarioRegistriesD(s).docker.get('quay.io/acme')).toEqual({ useSigstoreAttachments: true });
    expect(() => prepareScenario(s)).not.toThrow();
  });

  it('none given: no policy, no registries.d', () => {
    const s = parseScenario(head + mock(false), 's.toml');
    expect(s.config.policyJson).toBeNull();
    expect(s.config.registriesD).toEqual([]);
  });

  it.each([
    ['a misspelt config key', head.replace('[config]', '[config]\npolicy-jsn = "{}"'), /config\.policy-jsn: unknown key \(did you mean "policy-json"\?\)/],
    ['a misspelt registries-d key', head + '[[config.registries-d]]\nname = "a.yaml"\ntxt = "docker: {}"\n', /registries-d\[0\]\.text/],
    ['an unknown key in a registries-d table', head + '[[config.registries-d]]\nname = "a.yaml"\ntext = ""\nfile = "x"\n', /registries-d\[0\]\.file: unknown key/],
    ['a registries.d file the runtime would ignore', head + '[[config.registries-d]]\nname = "a.yml"\ntext = ""\n', /registries-d\[0\]\.name: .*ending in \.yaml/],
    ['a misspelt expectation', head + mock(false) + '[[pull]]\nref = "quay.io/acme/app:1.4"\n[pull.expect]\nsignature = "verified"\n', /did you mean "signatures"\?/],
    ['an unknown signatures value', head + mock(false) + '[[pull]]\nref = "quay.io/acme/app:1.4"\n[pull.expect]\nsignatures = "ok"\n', /signatures: expected one of "verified", "rejected", "not-checked"/],
  ])('%s is an error naming the key', (_what, text, re) => {
    expect(errorOf(() => parseScenario(text, 's.toml')).message).toMatch(re);
  });

  it('a policy the runtime would reject is refused before anything starts', () => {
    const s = parseScenario(head + `policy-json = '{"transports":{}}'\n` + mock(false), 's.toml');
    expect(errorOf(() => prepareScenario(s)).message).toMatch(/s\.toml: config\.policy-json: .*Default policy is missing/);
  });

  it('the key placeholders need a signing mock', () => {
    const s = parseScenario(head + POLICY + mock(false), 's.toml');
    expect(errorOf(() => prepareScenario(s)).message).toMatch(/\{\{sigstore-pub\}\} names the mocks' sigstore key, but no \[\[registry\]\] or image has signatures = "sigstore"/);
  });

  it('registries.d the runtime would reject is refused (same scope in two files)', () => {
    const twice = REGD + REGD.replace('sigstore-registries.yaml', 'other.yaml');
    const s = parseScenario(head + twice + mock(false), 's.toml');
    expect(errorOf(() => prepareScenario(s)).message).toMatch(/config\.registries-d: .*"docker" namespace "quay\.io\/acme" defined both/);
  });

  it('fills the placeholders JSON-escaped: the path, and the PEM as base64', () => {
    const key = { path: '/tmp/a"b\\c/sigstore.pub', pem: '-----BEGIN PUBLIC KEY-----\nX\n-----END PUBLIC KEY-----\n' };
    const out = fillSigstorePlaceholders('{"keyPath":"{{sigstore-pub}}","keyData":"{{ sigstore-pub-data }}"}', key, 's.toml');
    expect(JSON.parse(out)).toEqual({ keyPath: key.path, keyData: Buffer.from(key.pem).toString('base64') });
  });
});
