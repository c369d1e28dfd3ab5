/**
 * The pull engine: runs Resolutions against registries and emits PullEvents.
 *
 * @example
 * import { createRegistryClient } from '../registry/index.ts';
 * const client = createRegistryClient({});
 * for await (const e of pullImages([resolution], { client, attemptTimeoutMs: 10_000 })) console.log(e.type);
 * await client.close();
 */
export { pullOne } from './pull-one.ts';
export { pullImages, imageLabels } from './pull-images.ts';
export type { PullImagesOptions } from './pull-images.ts';
export type { PullOptions } from './options.ts';
export { sourcesFailedError, candidatesFailedError } from './final-error.ts';
export { splitPhysicalRef } from './physical-ref.ts';
export type { PhysicalRef } from './physical-ref.ts';
export { EventChannel } from './event-channel.ts';
export type * from '../events/pull-events.ts';
