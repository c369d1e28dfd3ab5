import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The prober is a lower layer than the reports: report/ may read probe/ types, never the reverse.
describe('probe/ layering', () => {
  it('no file in src/probe imports from src/report', () => {
    const dir = join(import.meta.dirname, '..', '..', 'src', 'probe');
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /from\s+['"]\.\.\/report\//.test(readFileSync(join(dir, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
