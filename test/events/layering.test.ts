import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}

// The views read the event contract (src/events/) and never the pull engine (src/pull/): one event type flows
// from the engine to every view, and a view that imported the engine could re-derive what the events say.
describe('events/ layering', () => {
  it('no file in src/report or cli/tui imports from src/pull', () => {
    const offenders = [...sources(join(ROOT, 'src', 'report')), ...sources(join(ROOT, 'cli', 'tui'))]
      .filter((f) => /from\s+['"](?:\.\.\/)+(?:src\/)?pull\//.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('the event contract imports nothing from the engine', () => {
    const text = readFileSync(join(ROOT, 'src', 'events', 'pull-events.ts'), 'utf8');
    expect(text).not.toMatch(/from\s+['"]\.\.\/pull\//);
  });
});
