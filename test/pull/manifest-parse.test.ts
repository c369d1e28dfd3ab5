import { describe, expect, it } from 'vitest';
import { mockSetup, API_HEADERS } from '../registry/mock-registry.ts';
import { pullOne } from '../../src/pull/pull-one.ts';
import { manifestJsonError } from '../../src/pull/chosen-source.ts';
import type { PullEvent } from '../../src/events/pull-events.ts';
import { source, resolution } from './fixtures.ts';

// The runtime parses the chosen manifest (an unknown Content-Type is read as schema1) and fails on bytes that
// are not JSON, worded by Go's encoding/json; it does not fail over to the next source at that stage.
describe('manifestJsonError', () => {
  it.each([
    ['{"schemaVersion":2}', null],
    ['<html>login</html>', "invalid character '<' looking for beginning of value"],
    ['  \n', 'unexpected end of JSON input'],
    ['{"schemaVersion":', 'unexpected end of JSON input'],
    ['\x84"schemaVersion":2}', "invalid character '\\u0084' looking for beginning of value"],
    ['\x01', "invalid character '\\x01' looking for beginning of value"],
  ])('%j → %j', (text, expected) => {
    expect(manifestJsonError(Buffer.from(text, 'latin1'))).toBe(expected);
  });
});

describe('a chosen source serving a manifest that is not JSON', () => {
  it('fails the pull (an HTML login page is classified not-a-registry) and never tries the next source', async () => {
    const setup = mockSetup();
    const pool = setup.agent.get('https://portal.example.com');
    pool.intercept({ path: '/v2/', method: 'GET' }).reply(200, '{}', { headers: API_HEADERS });
    pool.intercept({ path: '/v2/org/app/manifests/1', method: 'GET' }).reply(200, '<html>please log in</html>', { headers: { 'content-type': 'text/html' } });
    const events: PullEvent[] = [];
    // No interceptor for quay.io: contacting it would throw "mock not matched".
    const r = resolution('docker://quay.io/org/app:1', [source('portal.example.com/org/app:1'), source('quay.io/org/app:1')]);
    const result = await pullOne(r, { client: setup.client }, (e) => events.push(e));
    expect(result.ok).toBe(false);
    expect(result.error).toBe("invalid character '<' looking for beginning of value");
    expect(result.errorClass).toBe('not-a-registry');
    expect(result.source).toBe('portal.example.com/org/app:1');
    expect(events.filter((e) => e.type === 'attempt').length).toBe(1);
  });
});

// A 200 answer that is JSON but no manifest: the runtime chooses the source (its GET answered 200), then fails
// parsing it (image.FromUnparsedImage), without failover. pullpath counted these as successful pulls.
describe('a chosen source serving JSON that is not a manifest', () => {
  async function pullServing(body: string, contentType: string) {
    const setup = mockSetup();
    const pool = setup.agent.get('https://odd.example.com');
    pool.intercept({ path: '/v2/', method: 'GET' }).reply(200, '{}', { headers: API_HEADERS });
    pool.intercept({ path: '/v2/org/app/manifests/1', method: 'GET' }).reply(200, body, { headers: { 'content-type': contentType } });
    const events: PullEvent[] = [];
    const r = resolution('docker://quay.io/org/app:1', [source('odd.example.com/org/app:1'), source('quay.io/org/app:1')]);
    const result = await pullOne(r, { client: setup.client }, (e) => events.push(e));
    return { result, attempts: events.filter((e) => e.type === 'attempt') };
  }

  it('fails `{}` served as application/json with the runtime words (read as schema 1)', async () => {
    const { result, attempts } = await pullServing('{"status":"ok"}', 'application/json');
    expect(result).toMatchObject({ ok: false, error: 'unsupported schema version 0', errorClass: 'other', source: 'odd.example.com/org/app:1' });
    expect(attempts).toHaveLength(1);
    expect(result.notes?.join(' ')).toMatch(/not a manifest the runtime can read/);
  });

  it('fails an OCI manifest type whose body is an index', async () => {
    const { result } = await pullServing('{"schemaVersion":2,"manifests":[]}', 'application/vnd.oci.image.manifest.v1+json');
    expect(result.error).toBe('rejecting ambiguous manifest, unexpected fields []string{"manifests"} in supposedly application/vnd.oci.image.index.v1+json');
  });

  it('fails a schema 2 manifest with a foreign layer media type', async () => {
    const body = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: {}, layers: [{ mediaType: 'text/plain' }] });
    const { result } = await pullServing(body, 'application/vnd.docker.distribution.manifest.v2+json');
    expect(result.error).toBe('unsupported docker v2s2 media type: "text/plain"');
  });

  it('fails a 100,000-level nested index as a parse failure (Go: exceeded max depth), not as not-found', async () => {
    const body = `{"schemaVersion":2,"manifests":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const { result } = await pullServing(body, 'application/vnd.oci.image.index.v1+json');
    expect(result.ok).toBe(false);
    expect(result.errorClass).toBe('other');
    expect(result.notes?.join(' ')).toContain("nests deeper than Go's JSON decoder allows (10000 levels)");
    expect(result.error).toMatch(/^parsing OCI1 index: unmarshaling OCI1Index "\{\\"schemaVersion\\":2,\\"manifests\\":\[\[\[.*…\(199520 bytes not shown\)….*\]\]\}": invalid character '\[' exceeded max depth$/);
  });
});
