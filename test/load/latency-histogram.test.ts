import { describe, expect, it } from 'vitest';
import { createLatencyHistogram, histogramMean, recordMs } from '../../src/load/latency-histogram.ts';

describe('histogramMean', () => {
  it('is hdr-histogram-js\'s mean to the last bit (same sum, same order), also after adding histograms', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const n of [0, 1, 10, 1000, 50_000]) {
      const h = createLatencyHistogram();
      for (let i = 0; i < n; i++) recordMs(h, Math.exp(rand() * 12) * 0.01);
      expect(histogramMean(h)).toBe(h.mean);
      const sum = createLatencyHistogram();
      sum.add(h);
      sum.add(h);
      expect(histogramMean(sum)).toBe(sum.mean);
    }
  });
});
