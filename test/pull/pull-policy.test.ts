import { describe, expect, it } from 'vitest';
import { mockSetup, API_HEADERS, imageManifest } from '../registry/mock-registry.ts';
import { pullOne } from '../../src/pull/pull-one.ts';
import type { PullEvent } from '../../src/events/pull-events.ts';
import { MEDIA } from '../../src/registry/manifest.ts';
import { parsePolicy } from '../../src/policy/index.ts';
import { source, resolution } from './fixtures.ts';

// The runtime judges policy.json on the logical reference (the one asked for), after the manifest was
// fetched from whichever source won: a pull through a mirror of an allowed registry is allowed, and a
// rejected registry fails even when its mirror serves the image (research openshift-policy.md §5.5).
const policy = parsePolicy(
  JSON.stringify({
    default: [{ type: 'reject' }],
    transports: { docker: { 'quay.io/allowed': [{ type: 'insecureAcceptAnything' }] } },
  }),
  'policy.json',
);

function serve(setup: ReturnType<typeof mockSetup>, origin: string, path: string, body: string) {
  const pool = setup.agent.get(origin);
  pool.intercept({ path: '/v2/', method: 'GET' }).reply(200, '{}', { headers: API_HEADERS });
  pool.intercept({ path, method: 'GET' }).reply(200, body, { headers: { 'content-type': MEDIA.ociManifest } });
}

async function pull(ref: string, mirrorRef: string, path: string) {
  const setup = mockSetup();
  serve(setup, 'https://mirror.example.com', path, imageManifest().body);
  const events: PullEvent[] = [];
  const r = resolution(ref, [source(mirrorRef), source(ref.replace('docker://', ''))]);
  const result = await pullOne(r, { client: setup.client, policy }, (e) => events.push(e));
  return result;
}

describe('policy verdict on pulls', () => {
  it('allows a pull through a mirror when the logical reference is allowed, and names the scope', async () => {
    const result = await pull('docker://quay.io/allowed/app:1', 'mirror.example.com/allowed/app:1', '/v2/allowed/app/manifests/1');
    expect(result.ok).toBe(true);
    expect(result.policy).toMatchObject({ allowed: true, scope: 'quay.io/allowed' });
  });

  it('rejects by the logical reference although the mirror served the manifest', async () => {
    const result = await pull('docker://quay.io/other/app:1', 'mirror.example.com/other/app:1', '/v2/other/app/manifests/1');
    expect(result.ok).toBe(false);
    expect(result.errorClass).toBe('policy');
    expect(result.source).toBe('mirror.example.com/other/app:1');
    expect(result.error).toBe('Running image docker://quay.io/other/app:1 is rejected by policy.');
    expect(result.policy).toMatchObject({ allowed: false, scope: 'default' });
  });
});
