/** The three renderings of a diff: text within 80 columns with marks, JSON Lines records, Markdown tables. */
import { describe, expect, it } from 'vitest';
import { runDiff } from '../../src/diff/run-diff.ts';
import { formatDiffJsonLines } from '../../src/report/diff-json.ts';
import { formatDiffMarkdown } from '../../src/report/diff-markdown.ts';
import { formatDiffText } from '../../src/report/diff-text.ts';
import { side } from '../diff/helpers.ts';

const LONG = 'quay.io/a-very-long-organisation-name/with-a-long-repository-name/and-more-path';
const before = `[[registry]]\nprefix = "${LONG}"\nlocation = "${LONG}"\n[[registry.mirror]]\nlocation = "m1.example.com/x"\n[[registry.mirror]]\nlocation = "m2.example.com/x"\n`;
const after = `[[registry]]\nprefix = "${LONG}"\nlocation = "${LONG}"\n[[registry.mirror]]\nlocation = "m2.example.com/x"\n[[registry.mirror]]\nlocation = "m3.example.com/x"\ninsecure = true\n`;
const digestRef = `${LONG}/app@sha256:${'b'.repeat(64)}`;
const result = () => runDiff({ before: side(before), after: side(after), images: [digestRef, 'ghcr.io/unchanged/app:1'], ocpVersion: '4.14' });

describe('diff reports', () => {
  it('text: marks, shortened digests, counts and the node impact, never wider than 80 columns', () => {
    const text = formatDiffText(result());
    expect(text).toMatch(/^ {4}\+ 2\. m3\.example\.com\/x\/app@sha256:bbbbbbbbbbbb… \(mirror, insecure\)$/m);
    expect(text).toMatch(/^ {4}- was 1\. m1\.example\.com\/x\/app@sha256:bbbbbbbbbbbb… \(mirror\)$/m);
    expect(text).toContain('1 of 2 images change; 1 unchanged.');
    expect(text).toContain('Node impact (MCO rules for OpenShift 4.14): drain, then CRI-O reload');
    expect(Math.max(...text.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(80);
  });

  it('JSON Lines: an image record, a file record, the impact, then the summary', () => {
    const recs = formatDiffJsonLines(result()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(recs.map((r) => r.type)).toEqual(['image', 'file', 'impact', 'summary']);
    expect(recs[0]).toMatchObject({ image: digestRef, changes: ['source-added', 'source-removed'] });
    expect(recs[3]).toEqual({ type: 'summary', images: 2, changed: 1, unchanged: 1, synthetic: false, nodeAction: 'drain-reload' });
  });

  it('Markdown: summary, impact table, one row and one details block per image; pipes escaped', () => {
    const md = formatDiffMarkdown(result());
    expect(md).toContain('**1** of 2 images change their pull; 1 unchanged.');
    expect(md).toContain('| `/etc/containers/registries.conf` | modified |');
    expect(md).toContain(`<details><summary><code>${LONG}/app@sha256:bbbbbbbbbbbb…</code></summary>`);
    expect(md).toMatch(/^\+ 2\. m3\.example\.com/m);
    expect(md).toMatch(/^  1\. m2\.example\.com/m);
    expect(md).toMatch(/^- was 1\. m1\.example\.com/m);
    for (const line of md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| File') && !l.startsWith('| Image'))) {
      expect(line.replaceAll('\\|', '').split('|').length, line).toBe(5);
    }
  });
});
