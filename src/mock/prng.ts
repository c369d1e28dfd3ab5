/**
 * Seeded pseudo-random numbers, so that a fault run is reproducible: the same seed and the same
 * request sequence give the same faults, latencies and layer bytes. Not for secrets.
 */

/** A generator of floats in [0, 1). */
export type Random = () => number;

/** mulberry32: tiny, fast, good enough for jitter and coin flips; 32-bit state. */
export function createRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over a string, mixed with a seed: derives independent sub-seeds ("registry 2, rule 3"). */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Fill a buffer with seeded bytes (4 bytes per draw). */
export function fillRandomBytes(buf: Buffer, seed: number): void {
  let a = seed >>> 0;
  let i = 0;
  for (; i + 4 <= buf.length; i += 4) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    buf.writeUInt32LE((t ^ (t >>> 14)) >>> 0, i);
  }
  for (; i < buf.length; i++) buf[i] = (a = (a * 1103515245 + 12345) >>> 0) >>> 24;
}

/** A normal deviate (Box–Muller) from a uniform generator. */
export function normal(random: Random, mean: number, stddev: number): number {
  const u = 1 - random(); // (0, 1]: log(0) never happens
  const v = random();
  return mean + stddev * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** An exponential deviate with the given mean. */
export function exponential(random: Random, mean: number): number {
  return -mean * Math.log(1 - random());
}
