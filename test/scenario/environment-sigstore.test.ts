import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { startEnvironment } from '../../src/scenario/environment.ts';
import type { Scenario } from '../../src/scenario/types.ts';

function scenario(signatures?: 'sigstore', config: Partial<Scenario['config']> = {}): Scenario {
  return {
    file: 'x.toml',
    name: 'x',
    story: '',
    config: config as Scenario['config'],
    authJson: null,
    mocks: [{ host: 'm.example.com', key: 'registry[0]', spec: { host: 'm.example.com', images: [{ repository: 'a/b' }], ...(signatures ? { signatures } : {}) } }],
    pulls: [],
    defaults: { timeoutMs: 1000 },
  };
}

describe('scenario environment: sigstore key', () => {
  it('writes the mocks\' public key to DIR/sigstore.pub when a mock signs', async () => {
    const env = await startEnvironment(scenario('sigstore'));
    try {
      expect(env.sigstoreKeyPath).toBe(`${env.dir}/sigstore.pub`);
      expect(await readFile(env.sigstoreKeyPath!, 'utf8')).toBe(env.mocks.sigstorePublicKeyPem);
    } finally {
      await env.close();
    }
  });

  it('no key when nothing is signed', async () => {
    const env = await startEnvironment(scenario());
    try {
      expect(env.sigstoreKeyPath).toBeNull();
    } finally {
      await env.close();
    }
  });
});

describe('scenario environment: policy.json and registries.d', () => {
  const policyJson = '{"default":[{"type":"reject"}],"transports":{"docker":{"m.example.com":[{"type":"sigstoreSigned","keyPath":"{{sigstore-pub}}"},{"type":"sigstoreSigned","keyData":"{{sigstore-pub-data}}"}]}}}';
  const registriesD = [{ name: 'sigstore-registries.yaml', text: 'docker:\n  m.example.com:\n    use-sigstore-attachments: true\n' }];

  it('writes DIR/policy.json with the generated key filled in, and DIR/registries.d/*.yaml; the engine gets both', async () => {
    const env = await startEnvironment(scenario('sigstore', { policyJson, registriesD }));
    try {
      expect(env.policyPath).toBe(`${env.dir}/policy.json`);
      const written = JSON.parse(await readFile(env.policyPath!, 'utf8'));
      const [byPath, byData] = written.transports.docker['m.example.com'];
      expect(byPath.keyPath).toBe(env.sigstoreKeyPath);
      expect(Buffer.from(byData.keyData, 'base64').toString()).toBe(env.mocks.sigstorePublicKeyPem);
      expect(env.registriesDDir).toBe(`${env.dir}/registries.d`);
      expect(await readdir(env.registriesDDir!)).toEqual(['sigstore-registries.yaml']);
      expect(await readFile(`${env.registriesDDir}/sigstore-registries.yaml`, 'utf8')).toBe(registriesD[0]!.text);
      expect(env.policy?.default.map((r) => r.type)).toEqual(['reject']);
      expect(env.signatures?.registriesD.docker.get('m.example.com')).toEqual({ useSigstoreAttachments: true });
      // The scenario's own (empty) lookaside, never the developer's ~/.local/share/containers/sigstore.
      expect(env.signatures?.builtinLookaside).toBe(`file://${env.dir}/sigstore`);
    } finally {
      await env.close();
    }
  });

  it('no policy: nothing written, nothing judged', async () => {
    const env = await startEnvironment(scenario('sigstore'));
    try {
      expect([env.policyPath, env.registriesDDir, env.policy, env.signatures]).toEqual([null, null, null, null]);
    } finally {
      await env.close();
    }
  });
});
