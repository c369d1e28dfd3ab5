/**
 * Every error example in the project's research notes (the steering research notes, research/*.md, copied with their source in
 * test/fixtures/explain/research.json) and the wordings issue 13 lists, read back into attempts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseErrorText } from '../../src/explain/parse.ts';

interface Example {
  from: string;
  text: string;
  attempts: [string | null, string, boolean | null][];
  afterChoice?: string;
}
const EXAMPLES = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/explain/research.json'), 'utf8')) as Example[];

describe('research and issue examples', () => {
  it.each(EXAMPLES.map((e) => [e.from, e] as const))('%s', (_from, e) => {
    const p = parseErrorText(e.text);
    expect(p).toHaveLength(1);
    expect(p[0]!.attempts.map((a) => [a.reference, a.errorClass, a.mirror])).toEqual(e.attempts);
    expect(p[0]!.afterChoice?.errorClass ?? null).toBe(e.afterChoice ?? null);
  });
});
