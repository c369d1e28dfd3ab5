/**
 * Blob bodies the mock serves: small ones held as bytes (configs, manifests), layers generated on demand
 * from a seed so that a "1 GB" layer is streamed and never held in memory.
 *
 * A generated layer is a 64 KiB seeded block repeated, each repetition stamped with its index in its first
 * 8 bytes (so no two blocks are equal and a misplaced range is visible). Any byte range is computed directly.
 */
import { createHash } from 'node:crypto';
import { fillRandomBytes } from './prng.ts';

const BLOCK = 64 * 1024;
const STAMP = 8;

/** A blob: its size, sha256 digest and bytes in any range. */
export interface BlobContent {
  readonly size: number;
  /** `sha256:<hex>` of all bytes. */
  readonly digest: string;
  /** Bytes [start, end) as a sequence of buffers (shared: copy before changing them). */
  chunks(start: number, end: number): Iterable<Buffer>;
  /** All bytes, when the blob is held in memory (configs); undefined for generated layers. */
  readonly bytes: Buffer | undefined;
}

/** A blob held in memory. */
export function bytesBlob(bytes: Buffer): BlobContent {
  const digest = 'sha256:' + createHash('sha256').update(bytes).digest('hex');
  return {
    size: bytes.length,
    digest,
    bytes,
    *chunks(start, end) {
      if (end > start) yield bytes.subarray(start, end);
    },
  };
}

function stampFor(index: number): Buffer {
  const b = Buffer.alloc(STAMP);
  b.writeBigUInt64BE(BigInt(index));
  return b;
}

function* generatedChunks(block: Buffer, size: number, start: number, end: number): Generator<Buffer> {
  end = Math.min(end, size);
  let pos = start;
  while (pos < end) {
    const index = Math.floor(pos / BLOCK);
    const blockStart = index * BLOCK;
    const blockEnd = Math.min(blockStart + BLOCK, end);
    const off = pos - blockStart;
    if (off < STAMP) {
      const stampEnd = Math.min(STAMP, blockEnd - blockStart);
      yield stampFor(index).subarray(off, stampEnd);
      pos = blockStart + stampEnd;
      if (pos >= blockEnd) continue;
    }
    yield block.subarray(pos - blockStart, blockEnd - blockStart);
    pos = blockEnd;
  }
}

/**
 * A layer of `size` bytes generated from `seed`. Computing its digest reads every byte once
 * (about 1–2 s per GB); nothing is kept but one 64 KiB block.
 */
export function generatedBlob(size: number, seed: number): BlobContent {
  const block = Buffer.alloc(Math.min(BLOCK, Math.max(size, 0)));
  fillRandomBytes(block, seed);
  const hash = createHash('sha256');
  for (const c of generatedChunks(block, size, 0, size)) hash.update(c);
  const digest = 'sha256:' + hash.digest('hex');
  return {
    size,
    digest,
    bytes: undefined,
    chunks: (start, end) => generatedChunks(block, size, start, end),
  };
}
