import { describe, expect, it } from 'vitest';
import { createInputOrderWriter } from '../../src/report/input-order.ts';
import { createPullJsonWriter } from '../../src/report/pull-jsonl.ts';
import type { PullEvent } from '../../src/events/pull-events.ts';

describe('input order', () => {
  it('writes each item once every item before it is written, and flushes what is left in order', () => {
    const out: string[] = [];
    const w = createInputOrderWriter<string>((s) => out.push(s));
    w.push(2, 'c');
    w.push(1, 'b');
    expect(out).toEqual([]);
    w.push(0, 'a');
    expect(out).toEqual(['a', 'b', 'c']);
    w.push(5, 'f');
    w.push(4, 'e');
    w.flush();
    expect(out).toEqual(['a', 'b', 'c', 'e', 'f']);
  });

  it('pull JSON: keeps each image together and images in input order; the first finishing last', () => {
    const ev = (image: string, type: 'image' | 'result', at: number): PullEvent =>
      type === 'image'
        ? { type, image, at, normalized: image, registry: null, plan: [], skipped: [], error: null }
        : { type, image, at, ok: true, source: image, sourceIndex: 0, digest: null, mediaType: null, error: null, errorClass: null, durationMs: at };
    let text = '';
    const w = createPullJsonWriter((s) => (text += s), ['x.io/a:1', 'x.io/b:1']);
    for (const e of [ev('x.io/a:1', 'image', 0), ev('x.io/b:1', 'image', 1), ev('x.io/b:1', 'result', 5), ev('x.io/a:1', 'result', 9)]) w.push(e);
    expect(w.end()).toHaveLength(2);
    const recs = text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; image: string; atMs: number });
    expect(recs.map((r) => `${r.image} ${r.type} ${r.atMs}`)).toEqual(['x.io/a:1 image 0', 'x.io/a:1 result 9', 'x.io/b:1 image 1', 'x.io/b:1 result 5']);
  });
});
