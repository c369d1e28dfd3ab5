import { describe, expect, it } from 'vitest';
import { mockSetup, API_HEADERS } from '../registry/mock-registry.ts';
import { pullOne } from '../../src/pull/pull-one.ts';
import { manifestJsonError } from '../../src/pull/chosen-source.ts';
import type { PullEvent } from '../../src/pull/events.ts';
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
