/**
 * --log-level debug: the credential lookup's lines, worded as skopeo 1.9.3 --debug printed them here
 * (skopeo --debug inspect --raw --authfile auth.json docker://127.0.0.1:1/x/y:1 with credHelpers for that host,
 * an auths entry for 127.0.0.1:2, nothing for 127.0.0.1:3, and --creds).
 */
import { describe, expect, it } from 'vitest';
import { createAttemptLogger } from '../../cli/trace/attempt-log.ts';
import type { AttemptEvent, CredentialSource } from '../../src/events/pull-events.ts';

const ev = (reference: string, credentials: CredentialSource): AttemptEvent => ({
  type: 'attempt', image: 'i', index: 0, at: 0, reference, location: reference.split('/')[0]!, mirror: false, insecure: true,
  outcome: 'ok', error: null, errorClass: null, httpStatus: 200, durationMs: 1, steps: [], credentials,
});

function lines(e: AttemptEvent): string[] {
  const out: string[] = [];
  createAttemptLogger((s) => out.push(s))(e);
  return out.join('').trim().split('\n').slice(1); // after "Trying to access"
}

describe('credential lookup debug lines', () => {
  it('match skopeo 1.9.3 for each source', () => {
    expect(lines(ev('127.0.0.1:1/x/y:1', { kind: 'helper', helper: 'pp-fake', file: 'auth.json', key: '127.0.0.1:1', text: '' }))).toEqual([
      'level=debug msg="Looking up in credential helper pp-fake based on credHelpers entry in auth.json"',
      'level=debug msg="Found credentials for 127.0.0.1:1/x/y in credential helper containers-auth.json in file auth.json"',
    ]);
    expect(lines(ev('127.0.0.1:2/x/y:1', { kind: 'auth-file', file: 'auth.json', key: '127.0.0.1:2', text: '' }))).toEqual([
      'level=debug msg="Found credentials for 127.0.0.1:2/x/y in credential helper containers-auth.json in file auth.json"',
    ]);
    expect(lines(ev('127.0.0.1:3/x/y:1', { kind: 'none', text: '' }))).toEqual(['level=debug msg="No credentials for 127.0.0.1:3/x/y found"']);
    expect(lines(ev('127.0.0.1:3/x/y@sha256:00', { kind: 'flag', flag: '--creds', text: '' }))).toEqual(['level=debug msg="Returning credentials for 127.0.0.1:3/x/y from DockerAuthConfig"']);
  });
});
