/**
 * ClusterImagePolicy/ImagePolicy in a scenario's cluster objects: rendered in prepare with a stand-in key
 * (bad objects exit 2 before any mock starts), rendered again in the environment with the mocks' generated key
 * (`{{sigstore-pub-data}}`), and each pull judged with its namespace's policy, as CRI-O judges a pod.
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../src/errors.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { prepareScenario } from '../../src/scenario/prepare.ts';
import { runScenario } from '../../src/scenario/run.ts';
import { startEnvironment } from '../../src/scenario/environment.ts';

const imagePolicy = (ns: string, keyData: string) => `
apiVersion: config.openshift.io/v1
kind: ImagePolicy
metadata:
  name: signed
  namespace: ${ns}
spec:
  scopes: [quay.io/acme/app]
  policy:
    rootOfTrust:
      policyType: PublicKey
      publicKey:
        keyData: "${keyData}"
`;

function toml(clusterObjects: string, extra = ''): string {
  return `name = "t"
[config]
cluster-objects = '''${clusterObjects}'''
${extra}
[[registry]]
host = "quay.io"
tls = true
signatures = "sigstore"
images = [{ repository = "acme/app", tags = ["1.4"] }]
[[pull]]
ref = "quay.io/acme/app:1.4"
namespace = "team"
[pull.expect]
outcome = "ok"
signatures = "verified"
[[pull]]
ref = "quay.io/acme/app:1.4"
namespace = "default"
[pull.expect]
outcome = "ok"
signatures = "not-checked"
[[pull]]
ref = "quay.io/acme/app:1.4"
[pull.expect]
outcome = "ok"
signatures = "not-checked"
`;
}

describe('scenario cluster objects with ImagePolicy', () => {
  it('verifies with the mocks\' generated key in the pull\'s namespace, and not elsewhere', async () => {
    const report = await runScenario(parseScenario(toml(imagePolicy('team', '{{sigstore-pub-data}}')), 's.toml'));
    expect(report.error).toBeNull();
    expect(report.pulls.map((p) => [p.key, p.expectations.filter((x) => !x.ok)])).toEqual([
      ['pull[0]', []],
      ['pull[1]', []],
      ['pull[2]', []],
    ]);
  });

  it('writes the rendered policy.json, registries.d and policies/NS.json with the real key', async () => {
    const env = await startEnvironment(parseScenario(toml(imagePolicy('team', '{{sigstore-pub-data}}')), 's.toml'));
    try {
      const team = JSON.parse(await readFile(`${env.dir}/policies/team.json`, 'utf8'));
      const req = team.transports.docker['quay.io/acme/app'][0];
      expect(Buffer.from(req.keyData, 'base64').toString()).toBe(env.mocks.sigstorePublicKeyPem);
      expect(await readFile(`${env.dir}/registries.d/sigstore-registries.yaml`, 'utf8')).toContain('quay.io/acme/app');
      expect(JSON.parse(await readFile(env.policyPath!, 'utf8')).transports?.docker?.['quay.io/acme/app']).toBeUndefined();
      expect(env.policyFor('team')).not.toBe(env.policy);
      expect(env.policyFor('default')).toBe(env.policy);
      expect(env.policyFor(null)).toBe(env.policy);
    } finally {
      await env.close();
    }
  });

  it('refuses policy-json beside ClusterImagePolicy/ImagePolicy objects, before any mock starts', () => {
    const s = parseScenario(toml(imagePolicy('team', 'dGVzdC1rZXktZGF0YQ=='), `policy-json = '{"default": [{"type": "insecureAcceptAnything"}]}'`), 's.toml');
    expect(() => prepareScenario(s)).toThrow(ConfigError);
    expect(() => prepareScenario(s)).toThrow(/config\.policy-json: the cluster objects include ClusterImagePolicy\/ImagePolicy.*not both/);
  });

  it('says which key a placeholder names when no mock signs with it', () => {
    const s = parseScenario(toml(imagePolicy('team', '{{sigstore-pub-data}}')).replace('signatures = "sigstore"\n', ''), 's.toml');
    expect(() => prepareScenario(s)).toThrow(/s\.toml: config\.cluster-objects: \{\{sigstore-pub-data\}\} names the mocks' sigstore key, but no \[\[registry\]\]/);
  });
});
