import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { styleLine } from '../../../cli/tui/components/LineView.tsx';
import { PullApp } from '../../../cli/tui/components/PullApp.tsx';
import { ThemeContext } from '../../../cli/tui/components/theme-context.ts';
import { imagePull, syntheticRun } from '../../fixtures/tui/pull-events.ts';
import { KEYS, tick, until } from '../helpers/fake-terminal.ts';
import { pushedPullStore } from '../helpers/pull-stores.ts';

afterEach(() => cleanup());

const LONG_IMAGE = 'quay.io/org/platform/observability/collector-with-a-long-name:2024.11.3-hotfix';

function mount(opts: { quit?: () => void; title?: string } = {}) {
  const s = pushedPullStore();
  const ui = render(
    <ThemeContext.Provider value={{ color: false }}>
      <PullApp store={s.store} expectations={s.expectations} phase={s.phase} onQuit={opts.quit ?? (() => undefined)} clock={() => performance.now()} startedAt={performance.now()} title={opts.title ?? 'demo'} />
    </ThemeContext.Provider>,
  );
  const frame = (): string => ui.lastFrame() ?? '';
  // Waits for the frame the key press causes (a busy machine can take longer than a fixed sleep).
  const press = async (key: string): Promise<void> => {
    const before = ui.frames.length;
    ui.stdin.write(key);
    await until(() => ui.frames.length > before, 2000).catch(() => undefined);
    await tick(5);
  };
  return { ...s, ui, frame, press };
}

describe('PullApp frames', () => {
  it('given images in flight, shows a spinner and the source being tried, then the verdict', async () => {
    const t = mount();
    const events = imagePull('quay.io/org/app:1.4', 'app:1.4', [
      { location: 'mirror1.example.com:5000/org', mirror: true, outcome: 'failed', httpStatus: 503 },
      { location: 'quay.io/org', mirror: false, outcome: 'ok' },
    ]);
    t.push(...events.slice(0, 4)); // image, mirror 1 started and failed, primary started
    await until(() => t.frame().includes('primary 2/2'));
    expect(t.frame()).toMatch(/› [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] quay\.io\/org\/app:1\.4\s+primary 2\/2 quay\.io\/org\/app:1\.4/);
    expect(t.frame()).toContain('1 image: 0 ok, 0 failed, 1 running');
    t.push(...events.slice(4));
    await until(() => t.frame().includes('✓'));
    expect(t.frame()).toMatch(/› ✓ quay\.io\/org\/app:1\.4\s+primary 2\/2 quay\.io\/org\/app:1\.4\s+20ms/);
    expect(t.frame()).toContain('1 image: 1 ok, 0 failed, 0 running · 2 attempts · 1 failed over');
  });

  it('moves the selection with j/k and the arrows', async () => {
    const t = mount();
    t.push(...syntheticRun(5));
    await until(() => t.frame().includes('app-0004'));
    expect(t.frame()).toMatch(/› ✓ quay\.io\/org\/app-0000/);
    await t.press('j');
    await t.press(KEYS.down);
    expect(t.frame()).toMatch(/› ✓ quay\.io\/org\/app-0002/);
    expect(t.frame()).toMatch(/^ {2}✓ quay\.io\/org\/app-0000/m);
    await t.press('k');
    expect(t.frame()).toMatch(/› ✓ quay\.io\/org\/app-0001/);
    await t.press(KEYS.up);
    await t.press(KEYS.up);
    expect(t.frame()).toMatch(/› ✓ quay\.io\/org\/app-0000/);
  });

  it('expands the selected image into its attempt chain with enter, and folds it again', async () => {
    const t = mount();
    t.push(...syntheticRun(3));
    await until(() => t.frame().includes('app-0002'));
    await t.press('j');
    expect(t.frame()).not.toContain('matched [[registry]]');
    await t.press(KEYS.enter);
    const lines = t.frame().split('\n');
    const at = lines.findIndex((l) => l.startsWith('› ✓ quay.io/org/app-0001'));
    expect(lines[at + 1]).toBe('    matched [[registry]] "quay.io/org" at /etc/containers/registries.conf.d/50-mirrors.conf:7');
    expect(lines[at + 3]).toMatch(/^ {4}1 {2}mirror {2}mirror1\.example\.com:5000\/org\/app-0001:1\.1\s+failed\s+503\s+3ms manifest$/);
    expect(lines[at + 4]).toBe('      ↳ via mirror1.example.com:5000/org: received unexpected HTTP status: 503 Service Unavailable');
    expect(lines[at + 5]).toMatch(/^ {4}2 {2}mirror {2}mirror2\.example\.com\/org\/app-0001:1\.1\s+ok\s+200\s+5ms\s*$/);
    expect(lines[at + 7]).toBe('    → pulled from mirror2.example.com/org/app-0001:1.1 (source 2)');
    expect(lines[at + 8]).toBe('      sha256:5a4a8a3d0f2e1b7c9d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a4bbe');
    expect(lines[at + 9]).toMatch(/^ {2}✓ quay\.io\/org\/app-0002/);
    // The chain follows the selection.
    await t.press('j');
    expect(t.frame()).toContain('mirror2.example.com/org/app-0002:1.2 (source 2)');
    await t.press(KEYS.enter);
    expect(t.frame()).not.toContain('matched [[registry]]');
  });

  it('shows the runtime error in full with e, shortened with … otherwise', async () => {
    const t = mount();
    t.push(...syntheticRun(7));
    await until(() => t.frame().includes('app-0006'));
    await t.press('G');
    await t.press(KEYS.enter);
    const short = t.frame();
    expect(short).toMatch(/→ \(Mirrors also failed: \[mirror1\.example\.com:5000\/org\/app-0006:1\.6: received.*…$/m);
    expect(short).not.toContain('manifest unknown]): [quay.io');
    await t.press('e');
    const full = t.frame().replace(/\n\s*/g, ' ');
    expect(full).toContain(
      '→ (Mirrors also failed: [mirror1.example.com:5000/org/app-0006:1.6: received unexpected HTTP status: 503 Service Unavailable], [mirror2.example.com/org/app-0006:1.6: reading manifest app-0006:1.6 in mirror2.example.com/org/app-0006:1.6: manifest unknown]): [quay.io/org/app-0006:1.6: reading manifest app-0006:1.6 in quay.io/org/app-0006:1.6: manifest unknown]',
    );
    expect(t.frame()).toContain('[expanded, full errors]');
  });

  it('shows only failed images with f, and all again with a second f', async () => {
    const t = mount();
    t.push(...syntheticRun(14));
    await until(() => t.frame().includes('14 images'));
    await t.press('f');
    const rows = t.frame().split('\n').filter((l) => /app-\d{4}/.test(l));
    expect(rows.map((l) => l.match(/app-\d{4}/)![0])).toEqual(['app-0006', 'app-0013']);
    expect(t.frame()).toContain('failures only (2 of 14)');
    await t.press('f');
    expect(t.frame()).toContain('app-0000');
    expect(t.frame()).not.toContain('failures only (');
  });

  it('shortens a long image name in the middle, keeping the registry and the tag', async () => {
    const t = mount();
    t.push(...imagePull(LONG_IMAGE, 'x:1', [{ location: 'quay.io/org', mirror: false, outcome: 'ok' }]));
    await until(() => t.frame().includes('✓'));
    const row = t.frame().split('\n').find((l) => l.startsWith('› ✓'))!;
    expect(row).toMatch(/› ✓ quay\.io\/org\/platfo\S*…\S*2024\.11\.3-hotfix /);
    expect(row.length).toBeLessThanOrEqual(100);
  });

  it('lists scenario expectations as met or not', async () => {
    const t = mount();
    t.push(...syntheticRun(2));
    t.expectations.set([
      { name: 'app-0000 served by mirror 2', met: true },
      { name: 'quay.io never contacted', met: false, detail: '0 of 2 pulls reached it' },
      { name: 'digest pinned', met: null },
    ]);
    await until(() => t.frame().includes('expectations'));
    const lines = t.frame().split('\n');
    const at = lines.findIndex((l) => l.startsWith('expectations'));
    expect(lines.slice(at, at + 4)).toEqual([
      'expectations: 1/3 met, 1 not met',
      '  ✗ quay.io never contacted — 0 of 2 pulls reached it',
      '  · digest pinned',
      '  ✓ app-0000 served by mirror 2',
    ]);
  });

  it('calls onQuit once for q and for Ctrl-C', async () => {
    let quits = 0;
    const t = mount({ quit: () => quits++ });
    t.push(...syntheticRun(1));
    await until(() => t.frame().includes('app-0000'));
    await t.press('q');
    await t.press(KEYS.ctrlC);
    expect(quits).toBe(1);
  });

  it('fits the footer keys and totals in the width', async () => {
    const t = mount();
    t.push(...syntheticRun(3));
    await until(() => t.frame().includes('3 images'));
    const lines = t.frame().split('\n');
    expect(lines.at(-1)).toBe('↑↓/jk select · enter attempts · e full error · f failures only · q quit');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
  });
});

describe('LineView styling', () => {
  it('merges segments of the same style, so a line under NO_COLOR is one text node', () => {
    const line = [{ text: '› ', tone: 'accent' as const, bold: true }, { text: '✓ ', tone: 'ok' as const }, { text: 'img' }, { text: ' 1s' }];
    expect(styleLine(line, { color: false })).toEqual([{ text: '› ✓ img 1s', color: undefined, bold: false }]);
    expect(styleLine(line, { color: true }).map((s) => s.text)).toEqual(['› ', '✓ ', 'img 1s']);
  });
});
