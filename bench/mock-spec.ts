/** The image and registry description bench/mock.ts measures: a tiny one-layer image, faults configured but inactive. */
import type { MockImageSpec, MockRegistrySpec } from '../src/mock/spec.ts';

export const BENCH_IMAGE: MockImageSpec = { repository: 'bench/app', tags: ['v1'], layers: [122] };

export const BENCH_SPEC: MockRegistrySpec = {
  host: 'bench.example.com',
  images: [BENCH_IMAGE],
  // Every rule is evaluated for each request and none fires: later on the timeline, other repositories,
  // other routes. This is the cost a load test pays for having faults configured.
  faults: [
    { kind: 'refuse', from: 3600, to: 3660 },
    { kind: 'status', status: 503, from: 3600 },
    { kind: 'latency', distribution: 'exponential', mean: 50, repository: 'other/*' },
    { kind: 'flaky', probability: 0.3, route: 'blob' },
    { kind: 'blackhole', path: '/v2/never/*' },
    { kind: 'stale-tag', repository: 'other/app' },
    { kind: 'status', status: 429, retryAfter: 2, method: 'GET', route: 'manifest', from: 3600 },
    { kind: 'wrong-digest', reference: 'sha256:0000*' },
  ],
};
