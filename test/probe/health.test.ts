import { describe, expect, it } from 'vitest';
import { healthOf } from '../../src/probe/health.ts';
import type { ProbeOutcome, ProbeStep } from '../../src/probe/probe-types.ts';

const step = (name: ProbeStep['step'], ok: boolean, durationMs = 5, errorClass: ProbeStep['errorClass'] = null, httpStatus: number | null = ok ? 200 : null): ProbeStep => ({
  step: name, ok, durationMs, httpStatus, errorClass, error: ok ? null : String(errorClass),
});
const probe = (steps: ProbeStep[]): ProbeOutcome => ({ endpoint: 'm', atMs: 0, ok: steps.every((s) => s.ok), steps });
const good = (ms = 5) => probe([step('ping', true, ms), step('manifest', true, ms)]);

describe('healthOf', () => {
  it.each([
    ['no probe yet', [], 'unknown', /not probed/],
    ['every step passed', [good(), good()], 'up', /all steps/],
    ['ping refused', [good(), probe([step('ping', false, 1, 'refused')])], 'down', /ping failed: refused/],
    ['ping answered by an HTML page', [probe([step('ping', false, 1, 'not-a-registry', 200)])], 'down', /not-a-registry \(HTTP 200\)/],
    ['canary manifest unknown', [probe([step('ping', true), step('manifest', false, 3, 'not-found', 404)])], 'degraded', /manifest failed: not-found \(HTTP 404\)/],
    ['recovered but failed recently', [probe([step('ping', false, 1, 'timeout')]), good(), good()], 'degraded', /1 of the last 3 probes failed/],
    ['slow', [good(700), good(700)], 'degraded', /slow: p90 1400 ms/],
  ] as const)('%s → %s', (_name, recent, state, reason) => {
    const h = healthOf(recent as unknown as ProbeOutcome[], { window: 10, slowMs: 1000 });
    expect(h.state).toBe(state);
    expect(h.reason).toMatch(reason);
  });

  it('forgets failures older than the window', () => {
    const recent = [probe([step('ping', false, 1, 'refused')]), ...Array.from({ length: 3 }, () => good())];
    expect(healthOf(recent, { window: 3, slowMs: 1000 }).state).toBe('up');
    expect(healthOf(recent, { window: 4, slowMs: 1000 }).state).toBe('degraded');
  });
});
