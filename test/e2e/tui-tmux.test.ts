/**
 * Drives the real CLI in a pseudo-terminal: `pullpath demo` in a tmux session at 80×24, keys sent
 * with send-keys, the screen read with capture-pane. Uses its own tmux socket so it never touches
 * another tmux server, and kills only that server at the end. The demo's mock registries listen on
 * loopback only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
// Under CI the terminal test must run: a missing tmux is a failure there, not a silent skip (.ci/run installs it).
if (!HAS_TMUX && process.env.CI === 'true') throw new Error('tmux is required under CI=true for the TUI terminal test (apt-get install tmux)');
const SOCKET = `pullpath-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const SESSION = 'demo';

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-t', SESSION);
}

async function waitFor(check: (s: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    last = screen();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`screen never showed ${what}; last screen:\n${last}`);
}

async function keys(...k: string[]): Promise<void> {
  for (const key of k) {
    tmux('send-keys', '-t', SESSION, key);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe.skipIf(!HAS_TMUX)('pullpath demo in a terminal (tmux, 80×24)', { timeout: 60_000 }, () => {
  beforeAll(() => {
    // CI is unset so the TUI is used (CI=true would choose plain text); NO_COLOR keeps the capture plain.
    const cmd = `env -u CI NO_COLOR=1 node bin/pullpath.js demo; echo "EXIT=$?"; sleep 30`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', '-c', ROOT, cmd);
  });
  afterAll(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  });

  it('shows every image with its verdict, the expectations and the keys, within 80 columns', async () => {
    const s = await waitFor((x) => /^pullpath · scenario .*done$/m.test(x), 'the finished run', 45_000);
    expect(s).toMatch(/^› ✓ quay\.io\/acme\/app:1\.4\s+mirror 3\/4 mirror-3\.\S+\s+[\d.]+m?s$/m);
    expect(s).toMatch(/^ {2}✓ quay\.io\/acme\/db:15\s+primary 4\/4 quay\.io\/acme\/db:15\s+[\d.]+m?s$/m);
    expect(s).toMatch(/^ {2}✗ quay\.io\/acme\/web:2\.0\s+not-found: \(Mirrors also failed: \S*…\s+[\d.]+m?s$/m);
    expect(s).toMatch(/^expectations: 3\/3 met$/m);
    expect(s).toMatch(/· 3 images: 2 ok, 1 failed, 0 running · 11 attempts · 2 failed over$/m);
    expect(s).toContain('↑↓/jk select · enter attempts · e full error · f failures only · q quit');
    for (const line of s.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('expands the attempt chain with enter: matched entry, each mirror in order, the winner', async () => {
    await keys('Enter');
    const s = await waitFor((x) => x.includes('matched [[registry]]'), 'the attempt chain');
    expect(s).toMatch(/matched \[\[registry\]\] "quay\.io\/acme"/);
    expect(s).toMatch(/^ {4}1 {2}mirror {2}mirror-1\.\S+\s+failed\s+[\d.]+m?s ping$/m);
    expect(s).toMatch(/↳ via mirror-1\.example\.com:5000\/acme: pinging container registry/);
    expect(s).toMatch(/^ {4}2 {2}mirror {2}mirror-2\.\S+\s+failed\s+404\s+[\d.]+m?s manifest$/m);
    expect(s).toMatch(/^ {4}3 {2}mirror {2}mirror-3\.\S+\s+ok\s+200\s+[\d.]+m?s$/m);
    expect(s).toMatch(/→ pulled from mirror-3\.example\.com\/quay\/acme\/app:1\.4 \(source 3\)/);
  });

  it('moves the chain with the selection (j), shows failures only (f) and full errors (e)', async () => {
    await keys('j');
    let s = await waitFor((x) => /^› ✓ quay\.io\/acme\/db:15/m.test(x), 'db:15 selected');
    expect(s).toMatch(/^ {4}4 {2}primary quay\.io\/acme\/db:15\s+ok\s+200/m);
    await keys('f');
    s = await waitFor((x) => x.includes('failures only (1 of 3)'), 'the failure filter');
    expect(s).not.toMatch(/^. ✓ quay\.io\/acme\/app:1\.4/m);
    expect(s).toMatch(/^› ✗ quay\.io\/acme\/web:2\.0/m);
    await keys('e');
    // Full errors wrap onto lines of their own instead of ending in "…".
    s = await waitFor((x) => /^\s+dial tcp 127\.0\.0\.1:\d+: connect: connection refused$/m.test(x), 'the full error');
    expect(s).toMatch(/^ {6}↳ via mirror-1\.example\.com:5000\/acme: pinging container registry$/m);
  });

  it('quits with q and exits 0 with every expectation met', async () => {
    await keys('q');
    const s = await waitFor((x) => /EXIT=\d/.test(x), 'the process exit');
    expect(s).toMatch(/EXIT=0/);
  });
});
