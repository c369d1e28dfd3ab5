import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseImageList, parseImageListDetailed } from '../../src/verify/image-list.ts';

const D = 'sha256:' + 'c'.repeat(64);

describe('parseImageList', () => {
  it('reads one reference a line, skipping blanks and comments, and keeps line numbers', () => {
    const text = `# images for the cluster\nquay.io/org/app:1\n\n  registry.redhat.io/ubi9/ubi@${D}  # pinned\n`;
    expect(parseImageList(text, 'imgs.txt', { requireDigest: false })).toEqual([
      { ref: 'quay.io/org/app:1', file: 'imgs.txt', line: 2 },
      { ref: `registry.redhat.io/ubi9/ubi@${D}`, file: 'imgs.txt', line: 4 },
    ]);
  });

  it('takes the reference from "NAME REF" release lines and the source from mapping.txt lines', () => {
    const text = `cli  quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}\nquay.io/a/b@${D}=mirror.example.com/a/b:tag\n`;
    expect(parseImageList(text, 'rel.txt', { requireDigest: true }).map((x) => x.ref)).toEqual([
      `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}`,
      `quay.io/a/b@${D}`,
    ]);
  });

  it('refuses a tag in a release list, naming file and line', () => {
    expect(() => parseImageList(`quay.io/a/b@${D}\nquay.io/a/c:latest\n`, 'rel.txt', { requireDigest: true })).toThrow(/rel\.txt:2: "quay\.io\/a\/c:latest" is not pinned by digest/);
  });
});

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '../fixtures/verify', name), 'utf8');
const ART = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev';
const RELEASE_4187 = 'quay.io/openshift-release-dev/ocp-release@sha256:91037938dc2ebc2732e7baa6eb4192fa4376abab19f0f545848a87ab7c91931d';
const COMPONENTS_4187 = [
  `${ART}@sha256:eb8f91f85360d27bc1761e82e41d8f5e5e6a725511fc6ee78e8f73a5323a0b33`,
  `${ART}@sha256:051938670821bd3083243cb70f91ef3241d77ab8d4230d95cf46647bae1ee8b5`,
  `${ART}@sha256:1d643311344a4654f56b3b0294d345d83998969cc08ed04eb38bf51111742a03`,
];

describe('release lists as oc and oc-mirror write them', () => {
  it('reads the whole `oc adm release info` output: the release, then each component in its repository', () => {
    const r = parseImageListDetailed(fixture('oc-adm-release-info-4.18.7.txt'), 'info.txt', { requireDigest: true });
    expect(r.images.map((x) => x.ref)).toEqual([RELEASE_4187, ...COMPONENTS_4187]);
    expect(r.images.map((x) => x.line)).toEqual([8, 24, 25, 26]);
    // Name..Metadata files (5), Release Metadata (5), Component Versions (5), Images:, the NAME DIGEST header.
    expect(r.skippedHeaderLines).toBe(18);
    expect(r.notes).toEqual([`info.txt:23: component digests taken from ${ART} (where quay.io/openshift-release-dev/ocp-release releases keep them)`]);
  });

  it('reads an older release info (4.1.9) the same way', () => {
    const r = parseImageListDetailed(fixture('oc-adm-release-info-4.1.9.txt'), 'info.txt', { requireDigest: true });
    expect(r.images).toHaveLength(10);
    expect(r.images[4]!.ref).toBe(`${ART}@sha256:52ef9f5ade93e32f85e13bb9f588b2e126717256789023f8eb455b1147761562`);
  });

  it('reads `--pullspecs` output: the pullspecs as printed', () => {
    const r = parseImageListDetailed(fixture('oc-adm-release-info-pullspecs-4.18.7.txt'), 'ps.txt', { requireDigest: true });
    expect(r.images.map((x) => x.ref)).toEqual([RELEASE_4187, ...COMPONENTS_4187]);
    expect(r.notes).toEqual([]);
  });

  it('gives the same images for the digest table and the pullspecs table', () => {
    const a = parseImageList(fixture('oc-adm-release-info-4.18.7.txt'), 'a', { requireDigest: true }).map((x) => x.ref);
    const b = parseImageList(fixture('oc-adm-release-info-pullspecs-4.18.7.txt'), 'b', { requireDigest: true }).map((x) => x.ref);
    expect(a).toEqual(b);
  });

  it('uses the Pull From repository for a release it does not know, and says so', () => {
    const text = fixture('oc-adm-release-info-4.18.7.txt').replace('quay.io/openshift-release-dev/ocp-release@', 'mirror.example.com:8443/ocp4/openshift4@');
    const r = parseImageListDetailed(text, 'm.txt', { requireDigest: true });
    expect(r.images[1]!.ref).toBe('mirror.example.com:8443/ocp4/openshift4@sha256:eb8f91f85360d27bc1761e82e41d8f5e5e6a725511fc6ee78e8f73a5323a0b33');
    expect(r.notes[0]).toMatch(/Pull From repository mirror\.example\.com:8443\/ocp4\/openshift4; .*--pullspecs/);
  });

  it('reads oc-mirror mapping.txt (sources, a catalog index by tag included) and NAME REF files', () => {
    expect(parseImageList(fixture('oc-mirror-mapping.txt'), 'mapping.txt', { requireDigest: true }).map((x) => x.ref)).toEqual([
      RELEASE_4187, COMPONENTS_4187[0], 'registry.redhat.io/redhat/redhat-operator-index:v4.18',
    ]);
    expect(parseImageList(fixture('name-ref.txt'), 'n.txt', { requireDigest: true }).map((x) => x.ref)).toEqual(COMPONENTS_4187.slice(0, 2));
  });

  it('reports an unusable line with file:line and what was expected', () => {
    const rows = fixture('oc-adm-release-info-4.18.7.txt').split('\n');
    const noPullFrom = rows.filter((l) => !l.startsWith('Pull From:') && !/^(Name|Digest|Created|OS\/Arch|Manifests|Metadata files):/.test(l)).join('\n');
    expect(() => parseImageList(noPullFrom, 'x.txt', { requireDigest: true })).toThrow(/x\.txt:\d+: a NAME DIGEST table without its "Pull From:" line/);
    expect(() => parseImageList(`cli  sha256:${'a'.repeat(64)}\n`, 'y.txt', { requireDigest: true })).toThrow(/y\.txt:1: "sha256:a+" is a digest without a repository/);
    expect(() => parseImageList('a b c\n', 'z.txt', { requireDigest: false })).toThrow(/z\.txt:1: expected REF or NAME REF, got 3 fields/);
    expect(() => parseImageList('  NAME  REPO  COMMIT\n', 'c.txt', { requireDigest: true })).toThrow(/c\.txt:1: .*REPO and COMMIT lists no images: use "oc adm release info --pullspecs"/);
    expect(() => parseImageList('Quay.io/A/B@sha256:x\n', 'u.txt', { requireDigest: false })).toThrow(/u\.txt:1: "Quay\.io\/A\/B@sha256:x" is not an image reference/);
  });
});
