import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { startEnvironment } from '../../src/scenario/environment.ts';
import { checkScenarioSignatureConfig, fillSigstorePlaceholders } from '../../src/scenario/signature-files.ts';
import type { Scenario } from '../../src/scenario/types.ts';

function scenario(signatures?: 'gpg' | 'sigstore', config: Partial<Scenario['config']> = {}): Scenario {
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

const policyJson = '{"default":[{"type":"reject"}],"transports":{"docker":{"m.example.com":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"{{gpg-pub}}"},{"type":"signedBy","keyType":"GPGKeys","keyData":"{{ gpg-pub-data }}"}]}}}';

describe('scenario environment: GPG key', () => {
  it('writes the armored key to DIR/gpg.pub and fills {{gpg-pub}} / {{gpg-pub-data}} in policy.json', async () => {
    const env = await startEnvironment(scenario('gpg', { policyJson }));
    try {
      expect(env.gpgKeyPath).toBe(`${env.dir}/gpg.pub`);
      expect(env.sigstoreKeyPath).toBeNull();
      const armored = await readFile(env.gpgKeyPath!, 'utf8');
      expect(armored).toBe(env.mocks.gpgPublicKeyArmored);
      expect(armored).toContain('BEGIN PGP PUBLIC KEY BLOCK');
      const [byPath, byData] = JSON.parse(await readFile(env.policyPath!, 'utf8')).transports.docker['m.example.com'];
      expect(byPath.keyPath).toBe(env.gpgKeyPath);
      expect(Buffer.from(byData.keyData, 'base64').toString()).toBe(armored);
    } finally {
      await env.close();
    }
  });

  it('{{gpg-pub}} without a gpg-signing mock is a scenario error naming the key kind (checked before start)', () => {
    expect(() => checkScenarioSignatureConfig(scenario('sigstore', { policyJson }))).toThrow(/\{\{gpg-pub\}\} names the mocks' gpg key, but no \[\[registry\]\] or image has signatures = "gpg"/);
    expect(() => checkScenarioSignatureConfig(scenario('gpg', { policyJson }))).not.toThrow();
    expect(fillSigstorePlaceholders('"{{gpg-pub}}"', null, 'f', { path: 'C:\\k"', armored: 'x' })).toBe('"C:\\\\k\\""');
  });
});
