import { describe, expect, it } from 'vitest';
import { parseImageList } from '../../src/verify/image-list.ts';

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
