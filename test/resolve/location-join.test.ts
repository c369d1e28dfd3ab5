/**
 * The rewrite shortcut must give exactly what the full canonical parse gives, on every source of the
 * benchmark sets (tags, digests, bare names, host-only and pathed locations) and on hand-picked edge cases.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseNormalizedNamed, tryParseNormalizedNamed } from '../../src/reference/index.ts';
import { compileConfig, findRegistry, rewriteReference } from '../../src/resolve/index.ts';
import { joinableLocation } from '../../src/resolve/location-join.ts';
import { benchDataDir } from '../helpers/bench-data.ts';
import { confFrom } from './helpers.ts';

const data = benchDataDir;

describe('location join shortcut', () => {
  it.each(['10', '1000'])('agrees with the full parse on every source of the N=%s set', (n) => {
    const compiled = compileConfig(confFrom(readFileSync(new URL(`registries-N${n}.conf`, data), 'utf8')));
    let checked = 0;
    let shortcut = 0;
    for (const line of gunzipSync(readFileSync(new URL(`refs-N${n}.txt.gz`, data))).toString('utf8').split('\n')) {
      const p = tryParseNormalizedNamed(line);
      if (!p.ok) continue;
      const e = findRegistry(compiled, p.ref.name());
      if (e === null) continue;
      for (const loc of [e.location, ...e.mirrors.map((m) => m.location)]) {
        const j = joinableLocation(loc);
        if (j !== null) shortcut++;
        const slow = rewriteReference(p.ref, e.prefix, loc, null);
        const fast = rewriteReference(p.ref, e.prefix, loc, j);
        expect(fast.ok ? fast.ref.string() : fast.error).toBe(slow.ok ? slow.ref.string() : slow.error);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100_000);
    expect(shortcut).toBeGreaterThan(checked / 2); // the shortcut is actually exercised
  });

  it.each([
    ['example.com/foo/image:latest', 'example.com/foo', 'mirror.local/'],
    ['example.com/foo/image:latest', 'example.com/foo', 'docker.io'],
    ['example.com/foo/image:latest', 'example.com/foo', 'index.docker.io/x'],
    ['example.com/foo/image:latest', 'example.com/foo', 'Mirror.Local/UPPER'],
    ['example.com/foo/image:latest', 'example.com/foo', 'nodots/x'],
    ['example.com/foo/image:latest', 'example.com/foo', 'localhost'],
    ['example.com/foo/image:latest', 'example.com/foo', 'localhost:5000/a/b'],
    ['example.com/foo/image:latest', 'example.com/foo', 'mirror.local//x'],
    ['example.com/foo/image:latest', 'example.com/foo', 'user@mirror.local'],
    ['example.com/foo/' + 'a/'.repeat(110) + 'x:1', 'example.com/foo', 'mirror.local/' + 'b/'.repeat(20) + 'c'],
  ])('%s with %s → %s: same as the full parse', (ref, prefix, location) => {
    const r = parseNormalizedNamed(ref);
    const slow = rewriteReference(r, prefix, location, null);
    const fast = rewriteReference(r, prefix, location, joinableLocation(location));
    expect(fast.ok ? fast.ref.string() : fast.error).toBe(slow.ok ? slow.ref.string() : slow.error);
  });
});
