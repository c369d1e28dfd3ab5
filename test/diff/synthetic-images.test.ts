/** With no image list, the synthetic set still shows every behaviour change: per prefix and mirror, tag and digest. */
import { describe, expect, it } from 'vitest';
import { runDiff } from '../../src/diff/run-diff.ts';
import { SYNTHETIC_DIGEST, syntheticImages } from '../../src/diff/synthetic-images.ts';
import { conf, side } from './helpers.ts';

const a = `
[[registry]]
prefix = "quay.io/org"
location = "quay.io/org"
[[registry.mirror]]
location = "m1.example.com/org"
[[registry]]
prefix = "*.example.net"
location = ""
blocked = true
`;

describe('synthetic images', () => {
  it('a tag and a digest reference under every prefix and mirror of both sides', () => {
    const b = a + '[[registry]]\nlocation = "ghcr.io"\n';
    const imgs = syntheticImages(conf(a), conf(b));
    for (const p of ['quay.io/org', 'm1.example.com/org', 'pullpath-diff.example.net', 'ghcr.io']) {
      expect(imgs).toContain(`${p}/pullpath-diff:latest`);
      expect(imgs).toContain(`${p}/pullpath-diff@${SYNTHETIC_DIGEST}`);
    }
    expect(imgs.filter((i) => !i.includes('/'))).toEqual([]);
  });

  it('short names only when the short-name settings differ', () => {
    const withAlias = a + '[aliases]\n"app" = "quay.io/org/app"\n';
    expect(syntheticImages(conf(a), conf(withAlias))).toEqual(expect.arrayContaining(['app', 'pullpath-diff']));
    expect(syntheticImages(conf(a), conf(a)).filter((i) => !i.includes('/'))).toEqual([]);
  });

  it('a digest-only mirror added shows with no image list (only the digest form changes)', () => {
    const b = a.replace('location = "m1.example.com/org"', 'location = "m1.example.com/org"\n[[registry.mirror]]\nlocation = "m2.example.com/org"\npull-from-mirror = "digest-only"');
    const r = runDiff({ before: side(a), after: side(b), images: [], ocpVersion: 'current' });
    expect(r.synthetic).toBe(true);
    const byImage = Object.fromEntries(r.changed.map((c) => [c.image, c.changes]));
    expect(byImage[`quay.io/org/pullpath-diff@${SYNTHETIC_DIGEST}`]).toEqual(['source-added']);
    expect(byImage['quay.io/org/pullpath-diff:latest']).toEqual(['skipped']);
  });
});
