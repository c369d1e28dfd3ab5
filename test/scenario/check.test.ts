import { describe, expect, it } from 'vitest';
import { checkExpectations } from '../../src/scenario/check.ts';
import type { AttemptEvent, ImageStartEvent, PullEvent, ResultEvent } from '../../src/events/pull-events.ts';
import type { PullExpectation } from '../../src/scenario/types.ts';

const IMG = 'quay.io/acme/app:1.4';
const M1 = 'mirror-1.example.com:5000/acme/app:1.4';
const M2 = 'mirror-2.example.com/acme/app:1.4';

function start(skipped: string[] = []): ImageStartEvent {
  return {
    type: 'image', image: IMG, at: 0, normalized: IMG, registry: null, plan: [],
    skipped: skipped.map((location) => ({ location, reason: 'digest-only mirror, tag reference' })), error: null,
  };
}
function attempt(index: number, reference: string, outcome: AttemptEvent['outcome'], errorClass: AttemptEvent['errorClass'] = null, error: string | null = null): AttemptEvent {
  return {
    type: 'attempt', image: IMG, index, at: index * 10, reference, location: reference.split('/')[0]!, mirror: true,
    insecure: false, outcome, error, errorClass, httpStatus: null, durationMs: 5, steps: [],
  };
}
function result(ok: boolean, source: string | null, extra: Partial<ResultEvent> = {}): ResultEvent {
  return {
    type: 'result', image: IMG, at: 30, ok, source, sourceIndex: ok ? 2 : null, digest: ok ? 'sha256:aa' : null,
    mediaType: null, error: ok ? null : 'boom', errorClass: ok ? null : 'not-found', durationMs: 120, ...extra,
  };
}

const refusedErr = 'pinging container registry mirror-1.example.com:5000: Get "https://mirror-1.example.com:5000/v2/": dial tcp 127.0.0.1:1: connect: connection refused';
/** Mirror 1 refused, mirror 2 404, primary ok. */
const failover: PullEvent[] = [
  start(),
  attempt(0, M1, 'failed', 'refused', refusedErr),
  attempt(1, M2, 'failed', 'not-found', 'reading manifest 1.4 in mirror-2.example.com/acme/app: manifest unknown'),
  attempt(2, IMG, 'ok'),
  result(true, IMG),
];
const allFailed: PullEvent[] = [
  start(),
  attempt(0, M1, 'failed', 'refused', refusedErr),
  attempt(1, IMG, 'blocked', 'blocked', 'registry quay.io/acme is blocked in /etc/containers/registries.conf or $HOME/.config/containers/registries.conf.d'),
  result(false, null, { errorClass: 'blocked', error: `(Mirrors also failed: [${M1}: ${refusedErr}]): ${IMG}: registry quay.io/acme is blocked in /etc/containers/registries.conf or …` }),
];

const attemptsFailover: PullExpectation['attempts'] = [
  { reference: M1, outcome: 'failed', errorClass: 'refused', errorContains: 'pinging container registry mirror-1.example.com:5000' },
  { reference: M2, outcome: 'failed', errorClass: 'not-found' },
  { reference: IMG, outcome: 'ok' },
];

describe('checkExpectations', () => {
  it.each<[string, PullEvent[], PullExpectation, Array<[string, boolean]>]>([
    ['met: outcome, source, exact attempts, time', failover, { outcome: 'ok', source: IMG, attempts: attemptsFailover, maxMs: 500 },
      [['outcome', true], ['source', true], ['attempts.count', true], ['attempts[0]', true], ['attempts[1]', true], ['attempts[2]', true], ['max-ms', true]]],
    ['not met: the pull failed where ok was expected', allFailed, { outcome: 'ok' }, [['outcome', false]]],
    ['not met: another source won', failover, { source: M2 }, [['source', false]]],
    ['not met: attempts in another order', failover,
      { attempts: [attemptsFailover[1]!, attemptsFailover[0]!, attemptsFailover[2]!] },
      [['attempts.count', true], ['attempts[0]', false], ['attempts[1]', false], ['attempts[2]', true]]],
    ['not met: one attempt fewer than expected', failover, { attempts: [...attemptsFailover, { reference: 'x.io/a:1', outcome: 'failed' }] },
      [['attempts.count', false], ['attempts[0]', true], ['attempts[1]', true], ['attempts[2]', true], ['attempts[3]', false]]],
    ['not met: an unexpected extra attempt', failover, { attempts: attemptsFailover.slice(1) },
      [['attempts.count', false], ['attempts[0]', false], ['attempts[1]', false], ['attempts[2]', false]]],
    ['not met: an attempt with another error class', failover,
      { attempts: [{ ...attemptsFailover[0]!, errorClass: 'timeout' }, attemptsFailover[1]!, attemptsFailover[2]!] },
      [['attempts.count', true], ['attempts[0]', false], ['attempts[1]', true], ['attempts[2]', true]]],
    ['not met: an attempt error without the expected text', failover,
      { attempts: [{ ...attemptsFailover[0]!, errorContains: 'no such host' }, attemptsFailover[1]!, attemptsFailover[2]!] },
      [['attempts.count', true], ['attempts[0]', false], ['attempts[1]', true], ['attempts[2]', true]]],
    ['met: failed with the class and texts of the final error', allFailed,
      { outcome: 'failed', errorClass: 'blocked', errorContains: ['(Mirrors also failed: [', 'registry quay.io/acme is blocked in '] },
      [['outcome', true], ['error-class', true], ['error-contains[0]', true], ['error-contains[1]', true]]],
    ['not met: final error class and text differ', allFailed, { errorClass: 'refused', errorContains: ['manifest unknown'] },
      [['error-class', false], ['error-contains[0]', false]]],
    ['not met: slower than max-ms', failover, { maxMs: 100 }, [['max-ms', false]]],
    ['met and not met: digest', failover, { digest: 'sha256:aa' }, [['digest', true]]],
    ['not met: another digest', failover, { digest: 'sha256:bb' }, [['digest', false]]],
    ['met: skipped mirrors, in any order', [start(['b', 'a']), result(true, IMG)], { skipped: ['a', 'b'] }, [['skipped', true]]],
    ['not met: a mirror was not skipped', [start([]), result(true, IMG)], { skipped: ['a'] }, [['skipped', false]]],
    ['not met: no result event at all', [start()], { outcome: 'ok', source: IMG, maxMs: 10 }, [['outcome', false], ['source', false], ['max-ms', false]]],
    ['nothing to check', failover, {}, []],
    ['signatures: verified', [start(), result(true, IMG, { signatures: { ok: true, lookedIn: [], checks: [] } })], { signatures: 'verified' }, [['signatures', true]]],
    ['signatures: rejected is not verified', [start(), result(false, M1, { signatures: { ok: false, lookedIn: [], checks: [] } })], { signatures: 'verified' }, [['signatures', false]]],
    ['signatures: rejected', [start(), result(false, M1, { signatures: { ok: false, lookedIn: [], checks: [] } })], { signatures: 'rejected' }, [['signatures', true]]],
    ['signatures: a pull with no signature step is not-checked, not verified', failover, { signatures: 'verified' }, [['signatures', false]]],
    ['signatures: not-checked', failover, { signatures: 'not-checked' }, [['signatures', true]]],
  ])('%s', (_name, events, expectations, verdicts) => {
    const got = checkExpectations(events, expectations);
    expect(got.map((r) => [r.key, r.ok])).toEqual(verdicts);
  });

  it('words the expected and actual values so a report can show the difference', () => {
    const [r] = checkExpectations(failover, { source: M2 });
    expect(r).toEqual({ key: 'source', ok: false, expected: JSON.stringify(M2), actual: JSON.stringify(IMG) });
    const timing = checkExpectations(failover, { maxMs: 100 })[0]!;
    expect(timing.actual).toBe('120 ms');
  });

  it('reads attempts by index, not by arrival order', () => {
    const shuffled = [failover[0]!, failover[3]!, failover[1]!, failover[2]!, failover[4]!];
    expect(checkExpectations(shuffled, { attempts: attemptsFailover }).every((r) => r.ok)).toBe(true);
  });
});
