/**
 * Helpers for unit tests: an undici MockAgent passed through the dispatcher factory, and a registry client on it.
 */
import { MockAgent } from 'undici';
import { createRegistryClient, type RegistryClientOptions } from '../../src/registry/client.ts';
import { dispatcherFactoryFrom } from '../../src/registry/dispatcher-factory.ts';
import { sha256Digest, MEDIA } from '../../src/registry/manifest.ts';

export function mockSetup(opts: Omit<RegistryClientOptions, 'dispatchers'> = {}) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const client = createRegistryClient({ ...opts, dispatchers: dispatcherFactoryFrom(agent), retry429: { initialDelayMs: 5, maxDelayMs: 20, ...opts.retry429 } });
  return { agent, client };
}

export const API_HEADERS = { 'docker-distribution-api-version': 'registry/2.0', 'content-type': 'application/json' };

export function imageManifest(layers = ['sha256:' + 'b'.repeat(64)]): { body: string; digest: string } {
  const body = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: 'sha256:' + 'c'.repeat(64), size: 10 },
    layers: layers.map((d) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d, size: 20 })),
  });
  return { body, digest: sha256Digest(Buffer.from(body)) };
}

export const MANIFEST_UNKNOWN = JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: 'v1' } }] });
