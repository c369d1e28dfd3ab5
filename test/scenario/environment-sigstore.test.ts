import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { startEnvironment } from '../../src/scenario/environment.ts';
import type { Scenario } from '../../src/scenario/types.ts';

function scenario(signatures?: 'sigstore'): Scenario {
  return {
    file: 'x.toml',
    name: 'x',
    story: '',
    config: {} as Scenario['config'],
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
