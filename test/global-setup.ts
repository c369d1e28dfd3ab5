/** vitest global setup: the checkout's CLI bundle, built now if it is missing or stale (bin/build-cli.mjs). */
// @ts-expect-error -- plain JavaScript module without types
import { bundleState, buildCheckoutBundle } from '../bin/build-cli.mjs';

export default async function setup(): Promise<void> {
  if ((bundleState() as { state: string }).state !== 'current') await buildCheckoutBundle();
}
