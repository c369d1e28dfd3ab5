/**
 * The diff engine over pairs of configurations: one row per rule that can change a pull's outcome, each
 * with the change kinds it must report; then the round trip (a config against itself is empty, A→B is the
 * mirror image of B→A) over every pair of the table.
 */
import { describe, expect, it } from 'vitest';
import { runDiff } from '../../src/diff/run-diff.ts';
import { MIRROR_KIND, type ChangeKind } from '../../src/diff/types.ts';
import { side } from './helpers.ts';

const D = `sha256:${'a'.repeat(64)}`;
const base = `
unqualified-search-registries = ["registry.example.com"]
[[registry]]
prefix = "quay.io/org"
location = "quay.io/org"
[[registry.mirror]]
location = "m1.example.com/org"
[[registry.mirror]]
location = "m2.example.com/org"
`;
const ALLOW = JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] });
const REJECT_QUAY = JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }], transports: { docker: { 'quay.io/org': [{ type: 'reject' }] } } });

interface Row {
  name: string;
  after: string;
  image: string;
  kinds: ChangeKind[];
  beforePolicy?: string;
  afterPolicy?: string;
}

const ROWS: Row[] = [
  { name: 'a mirror added', after: base + '[[registry.mirror]]\nlocation = "m3.example.com/org"\n', image: 'quay.io/org/app:1', kinds: ['source-added'] },
  { name: 'a mirror removed', after: base.replace(/\[\[registry\.mirror\]\]\nlocation = "m2[^\n]*\n/, ''), image: 'quay.io/org/app:1', kinds: ['source-removed'] },
  {
    name: 'mirrors swapped',
    after: base.replace('m1.example.com', 'TMP').replace('m2.example.com', 'm1.example.com').replace('TMP', 'm2.example.com'),
    image: 'quay.io/org/app:1',
    kinds: ['source-reordered'],
  },
  { name: 'a mirror made digest-only, tag pull', after: base.replace('location = "m1.example.com/org"', 'location = "m1.example.com/org"\npull-from-mirror = "digest-only"'), image: 'quay.io/org/app:1', kinds: ['source-removed', 'skipped'] },
  { name: 'a mirror made digest-only, digest pull', after: base.replace('location = "m1.example.com/org"', 'location = "m1.example.com/org"\npull-from-mirror = "digest-only"'), image: `quay.io/org/app@${D}`, kinds: [] },
  { name: 'mirror-by-digest-only on the entry, tag pull', after: base.replace('location = "quay.io/org"\n', 'location = "quay.io/org"\nmirror-by-digest-only = true\n'), image: 'quay.io/org/app:1', kinds: ['source-removed', 'skipped'] },
  { name: 'the entry blocked', after: base.replace('location = "quay.io/org"\n', 'location = "quay.io/org"\nblocked = true\n'), image: 'quay.io/org/app:1', kinds: ['blocked'] },
  { name: 'a mirror blocked by its own entry', after: base + '[[registry]]\nlocation = "m1.example.com"\nblocked = true\n', image: 'quay.io/org/app:1', kinds: ['blocked'] },
  { name: 'the primary made insecure', after: base.replace('location = "quay.io/org"\n', 'location = "quay.io/org"\ninsecure = true\n'), image: 'quay.io/org/app:1', kinds: ['insecure'] },
  { name: 'a more specific entry wins', after: base + '[[registry]]\nprefix = "quay.io/org/app"\nlocation = "other.example.com/app"\n', image: 'quay.io/org/app:1', kinds: ['entry', 'source-added', 'source-removed'] },
  { name: 'search registries changed', after: base.replace('["registry.example.com"]', '["registry.example.com", "docker.io"]'), image: 'app:1', kinds: ['source-added', 'short-name'] },
  { name: 'an alias added', after: base + '[aliases]\n"app" = "quay.io/org/app"\n', image: 'app:1', kinds: ['source-added', 'source-removed', 'short-name'] },
  {
    name: 'short-name-mode enforcing with two search registries (no terminal)',
    after: 'short-name-mode = "enforcing"\n' + base.replace('["registry.example.com"]', '["registry.example.com", "docker.io"]'),
    image: 'app:1',
    kinds: ['source-removed', 'short-name', 'error'],
  },
  { name: 'the policy rejects the scope', after: base, beforePolicy: ALLOW, afterPolicy: REJECT_QUAY, image: 'quay.io/org/app:1', kinds: ['policy-rejected'] },
  { name: 'an unrelated entry added', after: base + '[[registry]]\nlocation = "elsewhere.example.com"\nblocked = true\n', image: 'quay.io/org/app:1', kinds: [] },
];

function diff(beforeText: string, afterText: string, image: string, bp?: string, ap?: string) {
  return runDiff({ before: side(beforeText, bp), after: side(afterText, ap), images: [image], ocpVersion: 'current' });
}

describe('diff: one rule at a time', () => {
  for (const row of ROWS) {
    it(`${row.name}: ${row.kinds.join(', ') || 'no change'}`, () => {
      const r = diff(base, row.after, row.image, row.beforePolicy, row.afterPolicy);
      expect(r.changed.map((c) => c.changes)).toEqual(row.kinds.length === 0 ? [] : [row.kinds]);
      expect(r.unchanged).toBe(row.kinds.length === 0 ? 1 : 0);
    });
  }

  it('marks sources added, removed and reordered in AFTER order, removed ones last', () => {
    const after = `
[[registry]]
prefix = "quay.io/org"
location = "quay.io/org"
[[registry.mirror]]
location = "m3.example.com/org"
[[registry.mirror]]
location = "m2.example.com/org"
[[registry.mirror]]
location = "m1.example.com/org"
`;
    const [c] = diff(base, after, 'quay.io/org/app:1').changed;
    expect(c!.sources.map((s) => [s.mark, s.reference, s.before, s.after])).toEqual([
      ['added', 'm3.example.com/org/app:1', null, 1],
      ['reordered', 'm2.example.com/org/app:1', 2, 2],
      ['reordered', 'm1.example.com/org/app:1', 1, 3],
      ['same', 'quay.io/org/app:1', 3, 4],
    ]);
  });

  it('names the matched entry by file:line on each side', () => {
    const after = base + '[[registry]]\nprefix = "quay.io/org/app"\nlocation = "other.example.com/app"\n';
    const r = runDiff({ before: side(base, undefined, '/a/before.conf'), after: side(after, undefined, '/b/after.conf'), images: ['quay.io/org/app:1'], ocpVersion: 'current' });
    expect(r.changed[0]!.before.registry!.origin).toBe('/a/before.conf:3');
    expect(r.changed[0]!.after.registry!.origin).toBe('/b/after.conf:10');
  });

  it('reports the policy verdict and its deciding scope on both sides', () => {
    const [c] = diff(base, base, 'quay.io/org/app:1', ALLOW, REJECT_QUAY).changed;
    expect(c!.before.policy).toMatchObject({ allowed: true, scope: 'default' });
    expect(c!.after.policy).toMatchObject({ allowed: false, scope: 'quay.io/org' });
  });

  it('compares verdicts only when both sides have a policy', () => {
    expect(diff(base, base, 'quay.io/org/app:1', undefined, REJECT_QUAY).changed).toEqual([]);
    expect(diff(base, base, 'quay.io/org/app:1', ALLOW, REJECT_QUAY).changed).toHaveLength(1);
  });
});

describe('diff: round trip', () => {
  const configs = [base, ...ROWS.map((r) => r.after)];
  const images = [...new Set(ROWS.map((r) => r.image))];

  it('a configuration against itself is empty (also with its lines moved or in another file)', () => {
    for (const c of configs) {
      const r = runDiff({ before: side(c), after: side(c, undefined, '/elsewhere/registries.conf'), images: [], ocpVersion: 'current' });
      expect(r.changed).toEqual([]);
      expect(r.total).toBeGreaterThan(0);
      expect(r.impact).toBeNull();
    }
    const moved = '\n\n# moved down\n' + base;
    expect(runDiff({ before: side(base), after: side(moved), images, ocpVersion: 'current' }).changed).toEqual([]);
  });

  it('A→B is the mirror image of B→A', () => {
    for (const a of configs) {
      for (const b of configs) {
        const ab = runDiff({ before: side(a), after: side(b), images, ocpVersion: 'current' });
        const ba = runDiff({ before: side(b), after: side(a), images, ocpVersion: 'current' });
        expect(ba.changed.map((c) => c.image)).toEqual(ab.changed.map((c) => c.image));
        for (const [i, c] of ab.changed.entries()) {
          const back = ba.changed[i]!;
          expect([...back.changes].sort()).toEqual(c.changes.map((k) => MIRROR_KIND[k]).sort());
          expect(back.before).toEqual(c.after);
          expect(back.after).toEqual(c.before);
        }
      }
    }
  });
});
