/**
 * config/ is the lower layer: resolve/ reads what config/ produces, never the other way round
 * (issue 11, "the house": config/types.ts used to take Origin from resolve/).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('src/config layering', () => {
  it('imports nothing (not even types) from src/resolve', () => {
    const offenders = tsFiles('src/config').filter((f) => /from\s+['"][^'"]*\/resolve\//.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
