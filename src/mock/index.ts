/**
 * pullpath's mock registry: a registry v2 server on loopback serving deterministic images, with auth, TLS and
 * fault injection described as data. The scenario runner, the load tester and tests import from here.
 *
 * @example
 * import { startMockRegistries, mockImageDigest } from './src/mock/index.ts';
 * const app = { repository: 'org/app', tags: ['1.4'] };
 * const set = await startMockRegistries([
 *   { host: 'mirror.example.com', images: [app], faults: [{ kind: 'status', status: 503, from: 0, to: 5 }] },
 *   { host: 'quay.io', images: [app], tls: true },
 * ], { seed: 42, certDir: '/tmp/certs.d' });
 * // route set.hostMap['mirror.example.com'] (127.0.0.1:PORT) in the client; expect mockImageDigest(app)
 * await set.close();
 */
export type { MockRegistrySpec, MockImageSpec, MockAuthSpec, MockUser, FaultRule, FaultKind, FaultMatch, LatencySpec, RouteName } from './spec.ts';
export { startMockRegistry, startMockRegistries } from './start.ts';
export type { StartMockOptions, RunningMockRegistry, MockRegistrySet } from './start.ts';
export { parseMockRegistrySpec } from './spec-parse.ts';
export type { ParseWhere } from './spec-parse.ts';
export { mockImageDigest, buildImage } from './image-builder.ts';
export type { BuiltImage, BuiltManifest, Platform } from './image-builder.ts';
export { createRealClock, createManualClock } from './clock.ts';
export type { MockClock, ManualClock } from './clock.ts';
export type { MockRegistryStats } from './stats.ts';
export { describeRule } from './stats.ts';
export { createRegistryHandler } from './handler.ts';
export type { RegistryHandler, HandlerOptions } from './handler.ts';
export type { MockRequest, MockResponse, FaultPlan, HandlerResult } from './http-types.ts';
export { ROUTES } from './routes.ts';
export * as mediaTypes from './media-types.ts';
