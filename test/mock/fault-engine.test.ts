import { describe, it, expect } from 'vitest';
import { createFaultEngine } from '../../src/mock/faults.ts';
import type { FaultRule } from '../../src/mock/spec.ts';

const params = { name: 'org/app', reference: '1.4' };
const delays = (rules: FaultRule[], seed: number, n = 200) => {
  const engine = createFaultEngine(rules, seed);
  return Array.from({ length: n }, () => engine.evaluate('GET', '/v2/org/app/manifests/1.4', 'manifest', params, 0).plan.delayMs);
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('fault engine draws', () => {
  it('gives the same latency sequence for the same seed and another for another seed', () => {
    const rules: FaultRule[] = [{ kind: 'latency', distribution: 'uniform', min: 10, max: 50 }];
    expect(delays(rules, 3)).toEqual(delays(rules, 3));
    expect(delays(rules, 3)).not.toEqual(delays(rules, 4));
  });

  it('keeps each rule on its own generator: adding a rule does not shift another rule\'s draws', () => {
    const lat: FaultRule = { kind: 'latency', distribution: 'exponential', mean: 20 };
    const alone = delays([lat], 9);
    const withFlaky = delays([lat, { kind: 'flaky', probability: 0.5 }], 9);
    expect(withFlaky).toEqual(alone);
  });

  it.each([
    [{ kind: 'latency', distribution: 'uniform', min: 10, max: 50 } as FaultRule, 30, 10, 50],
    [{ kind: 'latency', distribution: 'normal', mean: 100, stddev: 10 } as FaultRule, 100, 50, 150],
    [{ kind: 'latency', distribution: 'exponential', mean: 40 } as FaultRule, 40, 0, Infinity],
    [{ kind: 'latency', ms: 25 } as FaultRule, 25, 25, 25],
  ])('draws %j around its mean and within its bounds', (rule, expectedMean, lo, hi) => {
    const xs = delays([rule], 1, 4000);
    expect(Math.abs(mean(xs) - expectedMean)).toBeLessThan(expectedMean * 0.06 + 0.01);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(lo);
    expect(Math.max(...xs)).toBeLessThanOrEqual(hi);
  });

  it('fires flaky with probability p', () => {
    const engine = createFaultEngine([{ kind: 'flaky', probability: 0.2 }], 5);
    let fired = 0;
    for (let i = 0; i < 5000; i++) if (engine.evaluate('GET', '/v2/', 'ping', {}, 0).replace?.status === 503) fired++;
    expect(fired / 5000).toBeGreaterThan(0.17);
    expect(fired / 5000).toBeLessThan(0.23);
  });

  it('lets the first replacing rule win and combines modifiers', () => {
    const engine = createFaultEngine(
      [
        { kind: 'latency', ms: 5 },
        { kind: 'status', status: 500 },
        { kind: 'html' },
        { kind: 'latency', ms: 7 },
      ],
      1,
    );
    const d = engine.evaluate('GET', '/v2/', 'ping', {}, 0);
    expect(d.plan.delayMs).toBe(12);
    expect(d.replace?.status).toBe(500);
    expect(engine.firedCounts()).toEqual([1, 1, 0, 1]);
  });

  it('matches method, path, route, repository and reference globs', () => {
    const engine = createFaultEngine([{ kind: 'status', status: 404, method: 'HEAD', path: '/v2/org/*', repository: 'org/*', reference: '1.*' }], 1);
    const hit = (m: string, ref: string) => engine.evaluate(m, `/v2/org/app/manifests/${ref}`, 'manifest', { name: 'org/app', reference: ref }, 0).replace?.status;
    expect(hit('HEAD', '1.4')).toBe(404);
    expect(hit('GET', '1.4')).toBeUndefined();
    expect(hit('HEAD', '2.0')).toBeUndefined();
  });
});
