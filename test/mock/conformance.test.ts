/**
 * The mock against the real thing: the same images pushed to Debian's docker-registry (distribution 2.8.2),
 * the same requests to both, and the fields a client looks at compared. Runs when docker-registry is
 * installed; with CI=true it must be (`.ci/run` installs it).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { startMockRegistry, type RunningMockRegistry } from '../../src/mock/start.ts';
import { buildImage } from '../../src/mock/image-builder.ts';
import * as mt from '../../src/mock/media-types.ts';
import type { MockImageSpec } from '../../src/mock/spec.ts';
import { DOCKER_REGISTRY, startDockerRegistry, type DockerRegistry } from './docker-registry.ts';
import { createClient, ACCEPT_ALL, type Reply } from './client.ts';

const have = existsSync(DOCKER_REGISTRY);
if (!have && process.env.CI === 'true') throw new Error(`${DOCKER_REGISTRY} is required with CI=true (apt-get install -y docker-registry)`);

const APP: MockImageSpec = { repository: 'conf/app', tags: ['v1'], layers: [122, 70_000] };
const MULTI: MockImageSpec = { repository: 'conf/multi', tags: ['v1'], platforms: ['linux/arm64', 'linux/amd64'] };
const DLIST: MockImageSpec = { repository: 'conf/dlist', tags: ['v1'], platforms: ['linux/arm64', 'linux/amd64'], format: 'docker' };
const app = buildImage(APP);
const layer = app.blobs[2]!;

const HEADERS = ['content-type', 'content-length', 'docker-content-digest', 'docker-distribution-api-version', 'etag', 'accept-ranges', 'content-range'];
function view(r: Reply, withBody: 'bytes' | 'error' | 'none') {
  const headers: Record<string, unknown> = {};
  for (const h of HEADERS) headers[h] = r.headers[h];
  let body: unknown;
  if (withBody === 'bytes') body = r.body.toString('base64');
  if (withBody === 'error') body = (JSON.parse(r.body.toString()) as { errors: Array<{ code: string; message: string }> }).errors.map((e) => [e.code, e.message]);
  return { status: r.status, headers, body };
}

const cases: Array<[string, string, 'GET' | 'HEAD', Record<string, string>, 'bytes' | 'error' | 'none']> = [
  ['ping', '/v2/', 'GET', {}, 'bytes'],
  ['manifest by tag', '/v2/conf/app/manifests/v1', 'GET', { accept: ACCEPT_ALL }, 'bytes'],
  ['manifest HEAD by digest', `/v2/conf/app/manifests/${app.top.digest}`, 'HEAD', { accept: ACCEPT_ALL }, 'none'],
  ['OCI manifest without OCI in Accept', '/v2/conf/app/manifests/v1', 'GET', { accept: mt.DOCKER_MANIFEST }, 'error'],
  ['OCI index without the index type', '/v2/conf/multi/manifests/v1', 'GET', { accept: mt.OCI_MANIFEST }, 'error'],
  ['OCI index', '/v2/conf/multi/manifests/v1', 'GET', { accept: ACCEPT_ALL }, 'bytes'],
  ['Docker list by tag without the list type', '/v2/conf/dlist/manifests/v1', 'GET', { accept: mt.DOCKER_MANIFEST }, 'bytes'],
  ['unknown tag', '/v2/conf/app/manifests/nope', 'GET', { accept: ACCEPT_ALL }, 'error'],
  ['unknown repository', '/v2/no/such/manifests/v1', 'GET', { accept: ACCEPT_ALL }, 'error'],
  ['tags of an unknown repository', '/v2/no/such/tags/list', 'GET', {}, 'error'],
  ['tags', '/v2/conf/app/tags/list', 'GET', {}, 'bytes'],
  ['blob', `/v2/conf/app/blobs/${layer.digest}`, 'GET', {}, 'bytes'],
  ['blob HEAD', `/v2/conf/app/blobs/${layer.digest}`, 'HEAD', {}, 'none'],
  ['blob range', `/v2/conf/app/blobs/${layer.digest}`, 'GET', { range: 'bytes=65530-65549' }, 'bytes'],
  ['unknown blob', `/v2/conf/app/blobs/sha256:${'0'.repeat(64)}`, 'GET', {}, 'error'],
];

describe.skipIf(!have)('mock vs docker-registry 2.8', () => {
  let real: DockerRegistry;
  let mock: RunningMockRegistry;
  const client = createClient();
  beforeAll(async () => {
    real = (await startDockerRegistry())!;
    for (const spec of [APP, MULTI, DLIST]) await real.push(buildImage(spec));
    mock = await startMockRegistry({ host: 'conf.example.com', images: [APP, MULTI, DLIST] });
  });
  afterAll(async () => {
    await client.close();
    await mock?.close();
    await real?.stop();
  });

  it.each(cases)('answers alike: %s', async (_name, path, method, headers, body) => {
    const a = await client.fetch(`${real.origin}${path}`, { method, headers });
    const b = await client.fetch(`${mock.origin}${path}`, { method, headers });
    expect(view(b, body)).toEqual(view(a, body));
  });
});
