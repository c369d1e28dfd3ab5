/**
 * A latency histogram as text for a shard report, losslessly: HdrHistogram's compressed base64 encoding
 * (the V2 format every HdrHistogram implementation reads) of the bucket counts, plus the exact largest
 * value. The encoding keeps counts, not values, so decoding alone would report the largest value as its
 * bucket's upper edge; the report's max is the exact sample, and `maxUs` keeps it so a merged report says
 * what one process that recorded every sample would say.
 */
import * as hdr from 'hdr-histogram-js';
import { createLatencyHistogram, type LatencyHistogram } from './latency-histogram.ts';
import { PullpathError } from '../errors.ts';

export interface EncodedHistogram {
  /** `encodeIntoCompressedBase64` of the histogram (microseconds). */
  hdr: string;
  /** The largest recorded value, exactly (microseconds). */
  maxUs: number;
}

export function encodeHistogram(h: LatencyHistogram): EncodedHistogram {
  return { hdr: hdr.encodeIntoCompressedBase64(h), maxUs: h.maxValue };
}

/** Adds an encoded histogram into `into` (created with createLatencyHistogram). Throws on a corrupt encoding. */
export function addEncoded(into: LatencyHistogram, e: EncodedHistogram, where: string): void {
  let decoded: hdr.Histogram;
  try {
    // 32-bit counts, as the histograms are recorded (createLatencyHistogram): one bucket would need 2^31 pulls
    // to wrap. (64-bit decoding costs 25 % more, and the merge decodes every histogram of every shard.)
    decoded = hdr.decodeFromCompressedBase64(e.hdr, 32);
  } catch (err) {
    throw new PullpathError('PP_ERR_SHARD_REPORT', `${where}: not an HdrHistogram compressed base64 encoding (${(err as Error).message})`);
  }
  into.add(decoded);
  // add() takes the decoded histogram's max, its bucket's upper edge: restore the exact sample.
  (into as hdr.JsHistogram).maxValue = Math.max(mergedExactMax.get(into) ?? 0, e.maxUs);
  mergedExactMax.set(into, (into as hdr.JsHistogram).maxValue);
}

/** The exact max of each histogram being merged (the histogram's own field is overwritten by add()). */
const mergedExactMax = new WeakMap<LatencyHistogram, number>();

export function decodeHistogram(e: EncodedHistogram, where: string): LatencyHistogram {
  const h = createLatencyHistogram();
  addEncoded(h, e, where);
  return h;
}
