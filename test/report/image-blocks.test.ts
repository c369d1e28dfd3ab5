import { describe, expect, it } from 'vitest';
import { createImageBlockWriter } from '../../src/report/image-blocks.ts';
import type { PullEvent } from '../../src/events/pull-events.ts';

const start = (image: string): PullEvent => ({ type: 'image', image, at: 0, normalized: image, registry: null, plan: [], skipped: [], error: null });
const result = (image: string): PullEvent => ({ type: 'result', image, at: 1, ok: true, source: image, sourceIndex: 0, digest: null, mediaType: null, error: null, errorClass: null, durationMs: 1 });

describe('image blocks in input order', () => {
  it('writes each image once its result is in, in input order; an image cut short takes its place at the end of the run', () => {
    const out: string[] = [];
    const w = createImageBlockWriter((b) => out.push(b), (events, interrupted) => `${events[0]!.image}${interrupted ? ' (interrupted)' : ''}`, ['a', 'b', 'c', 'd']);
    for (const e of [start('a'), start('b'), start('c'), result('c'), result('a')]) w.push(e);
    // a is out; c waits for b; d never started.
    expect(out).toEqual(['a']);
    const results = w.end();
    expect(out).toEqual(['a', 'b (interrupted)', 'c']);
    expect(results.map((r) => r.image)).toEqual(['c', 'a']);
  });

  it('without an order, writes blocks as they finish', () => {
    const out: string[] = [];
    const w = createImageBlockWriter((b) => out.push(b), (events) => events[0]!.image);
    for (const e of [start('x'), start('y'), result('y'), result('x')]) w.push(e);
    w.end();
    expect(out).toEqual(['y', 'x']);
  });
});
