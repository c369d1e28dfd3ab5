import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { startMockRegistry, type RunningMockRegistry } from '../../src/mock/start.ts';
import { mockImageDigest, buildImage } from '../../src/mock/image-builder.ts';
import * as mt from '../../src/mock/media-types.ts';
import { createClient, header, ACCEPT_ALL } from './client.ts';

const APP = { repository: 'org/app', tags: ['1.4', 'latest'], layers: [300, 100_000] };
const MULTI = { repository: 'org/multi', tags: ['v1'], platforms: ['linux/arm64', 'linux/amd64'] };
const DOCKER = { repository: 'org/docker', tags: ['v1'], platforms: ['linux/arm64', 'linux/amd64'], format: 'docker' as const };
const sha = (b: Buffer) => 'sha256:' + createHash('sha256').update(b).digest('hex');

let reg: RunningMockRegistry;
const client = createClient();
beforeAll(async () => {
  reg = await startMockRegistry({ host: 'registry.example.com', images: [APP, MULTI, DOCKER] });
});
afterAll(async () => {
  await client.close();
  await reg.close();
});

describe('mock registry routes', () => {
  it('answers /v2/ with 200 {} and the API version header', async () => {
    const r = await client.fetch(reg.url);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('{}');
    expect(header(r, 'docker-distribution-api-version')).toBe('registry/2.0');
    expect(reg.url).toBe(`http://127.0.0.1:${reg.port}/v2/`);
  });

  it('serves a manifest by tag with digest, type and length, HEAD without body', async () => {
    const digest = mockImageDigest(APP);
    const get = await client.fetch(`${reg.origin}/v2/org/app/manifests/1.4`, { headers: { accept: ACCEPT_ALL } });
    expect(get.status).toBe(200);
    expect(header(get, 'docker-content-digest')).toBe(digest);
    expect(sha(get.body)).toBe(digest);
    expect(header(get, 'content-type')).toBe(mt.OCI_MANIFEST);
    expect(Number(header(get, 'content-length'))).toBe(get.body.length);
    const head = await client.fetch(`${reg.origin}/v2/org/app/manifests/latest`, { method: 'HEAD', headers: { accept: ACCEPT_ALL } });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(header(head, 'content-length')).toBe(String(get.body.length));
    expect(header(head, 'docker-content-digest')).toBe(digest);
  });

  it('serves a manifest by digest, and the children of an index', async () => {
    const img = buildImage(MULTI);
    for (const m of img.manifests) {
      const r = await client.fetch(`${reg.origin}/v2/org/multi/manifests/${m.digest}`, { headers: { accept: ACCEPT_ALL } });
      expect(r.status).toBe(200);
      expect(sha(r.body)).toBe(m.digest);
      expect(header(r, 'content-type')).toBe(m.mediaType);
    }
  });

  it('refuses OCI types the Accept header does not name, with distribution\'s message', async () => {
    const r = await client.fetch(`${reg.origin}/v2/org/app/manifests/1.4`, { headers: { accept: mt.DOCKER_MANIFEST } });
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body.toString())).toEqual({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'OCI manifest found, but accept header does not support OCI manifests' }] });
    const idx = await client.fetch(`${reg.origin}/v2/org/multi/manifests/v1`, { headers: { accept: mt.OCI_MANIFEST } });
    expect(JSON.parse(idx.body.toString()).errors[0].message).toBe('OCI index found, but accept header does not support OCI indexes');
  });

  it('rewrites a Docker manifest list asked for by tag without the list type to the linux/amd64 manifest', async () => {
    const img = buildImage(DOCKER);
    const amd64 = img.manifests.find((m) => m.platform?.architecture === 'amd64')!;
    const r = await client.fetch(`${reg.origin}/v2/org/docker/manifests/v1`, { headers: { accept: mt.DOCKER_MANIFEST } });
    expect(r.status).toBe(200);
    expect(header(r, 'docker-content-digest')).toBe(amd64.digest);
    const list = await client.fetch(`${reg.origin}/v2/org/docker/manifests/v1`, { headers: { accept: ACCEPT_ALL } });
    expect(header(list, 'content-type')).toBe(mt.DOCKER_LIST);
  });

  it('answers unknown tags, digests and repositories with MANIFEST_UNKNOWN, as distribution does', async () => {
    const tag = await client.fetch(`${reg.origin}/v2/org/app/manifests/nope`, { headers: { accept: ACCEPT_ALL } });
    expect(tag.status).toBe(404);
    expect(JSON.parse(tag.body.toString())).toEqual({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: 'nope' } }] });
    const repo = await client.fetch(`${reg.origin}/v2/no/such/manifests/1`, { headers: { accept: ACCEPT_ALL } });
    expect(JSON.parse(repo.body.toString()).errors[0].code).toBe('MANIFEST_UNKNOWN');
    const tags = await client.fetch(`${reg.origin}/v2/no/such/tags/list`);
    expect(JSON.parse(tags.body.toString()).errors[0].code).toBe('NAME_UNKNOWN');
  });

  it('serves blobs whole and by Range (206), HEAD with length, 416 past the end, BLOB_UNKNOWN when missing', async () => {
    const layer = buildImage(APP).blobs[2]!;
    const url = `${reg.origin}/v2/org/app/blobs/${layer.digest}`;
    const whole = await client.fetch(url);
    expect(whole.status).toBe(200);
    expect(sha(whole.body)).toBe(layer.digest);
    expect(header(whole, 'accept-ranges')).toBe('bytes');
    const part = await client.fetch(url, { headers: { range: 'bytes=65530-65549' } });
    expect(part.status).toBe(206);
    expect(header(part, 'content-range')).toBe('bytes 65530-65549/100000');
    expect(part.body.equals(whole.body.subarray(65530, 65550))).toBe(true);
    const tail = await client.fetch(url, { headers: { range: 'bytes=-10' } });
    expect(tail.body.equals(whole.body.subarray(99_990))).toBe(true);
    const head = await client.fetch(url, { method: 'HEAD' });
    expect(header(head, 'content-length')).toBe('100000');
    expect(header(head, 'docker-content-digest')).toBe(layer.digest);
    const bad = await client.fetch(url, { headers: { range: 'bytes=200000-' } });
    expect(bad.status).toBe(416);
    expect(header(bad, 'content-range')).toBe('bytes */100000');
    const missing = await client.fetch(`${reg.origin}/v2/org/app/blobs/sha256:${'0'.repeat(64)}`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString()).errors[0].code).toBe('BLOB_UNKNOWN');
  });

  it('lists tags and the catalog', async () => {
    const tags = await client.fetch(`${reg.origin}/v2/org/app/tags/list`);
    expect(JSON.parse(tags.body.toString())).toEqual({ name: 'org/app', tags: ['1.4', 'latest'] });
    const cat = await client.fetch(`${reg.origin}/v2/_catalog`);
    expect(JSON.parse(cat.body.toString())).toEqual({ repositories: ['org/app', 'org/docker', 'org/multi'] });
  });

  it('reports requests no route answered, with the router 404 and a 405 for a wrong method', async () => {
    const v1 = await client.fetch(`${reg.origin}/v1/_ping`);
    expect(v1.status).toBe(404);
    expect(v1.body.toString()).toBe('404 page not found\n');
    const upper = await client.fetch(`${reg.origin}/v2/Org/App/manifests/1`);
    expect(upper.status).toBe(404);
    const r = await fetch(`${reg.origin}/v2/org/app/manifests/1.4`, { method: 'PUT', body: '{}' });
    expect(r.status).toBe(405);
    expect(((await r.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('UNSUPPORTED');
    const s = reg.stats();
    expect(s.unmatched).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/v1/_ping', count: 1 },
        { method: 'GET', path: '/v2/Org/App/manifests/1', count: 1 },
        { method: 'PUT', path: '/v2/org/app/manifests/1.4', count: 1 },
      ]),
    );
    expect(s.byRoute).toEqual(expect.arrayContaining([{ route: 'ping', method: 'GET', status: 200, count: 1 }]));
  });
});
