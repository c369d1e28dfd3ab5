/**
 * The TUI of `pull`, `demo` and `load` in a real terminal (tmux at 80×24): the view stays until q, the keys
 * work, what matters is not cut (why a mirror was skipped), and on q the same report as --no-tui follows on
 * the normal screen. For load, the board's figures are the report's, and the fault windows share the run's
 * time base (loading the TUI once shifted them, splitting time to failover into `refuse` and `refused`).
 * Each test uses its own tmux socket and kills only that server; the mock registries listen on loopback.
 */
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
// Under CI the terminal tests must run: a missing tmux is a failure there, not a silent skip (.ci/run installs it).
if (!HAS_TMUX && process.env.CI === 'true') throw new Error('tmux is required under CI=true for the TUI terminal tests (apt-get install tmux)');
const run = promisify(execFile);

/** One tmux server per test group, on its own socket. */
class Term {
  readonly socket = `pullpath-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  constructor(readonly session: string) {}
  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }
  /** Starts `cmd` in an 80×24 pane; its exit status is printed as EXIT=N, then the pane stays for reading. */
  start(cmd: string): void {
    // CI is unset so the TUI is used (CI=true chooses plain text); NO_COLOR keeps the capture plain.
    this.tmux('new-session', '-d', '-s', this.session, '-x', '80', '-y', '24', '-c', ROOT, `env -u CI NO_COLOR=1 ${cmd}; echo "EXIT=$?"; sleep 60`);
  }
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.session);
  }
  /** Everything the pane showed, scrollback included, with lines the terminal wrapped joined again. */
  history(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', this.session);
  }
  async waitFor(check: (s: string) => boolean, what: string, timeoutMs = 45_000, read = () => this.screen()): Promise<string> {
    const end = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < end) {
      last = read();
      if (check(last)) return last;
      await sleep(100);
    }
    throw new Error(`the terminal never showed ${what}; last screen:\n${last}`);
  }
  async keys(...k: string[]): Promise<void> {
    for (const key of k) {
      this.tmux('send-keys', '-t', this.session, key);
      await sleep(150);
    }
  }
  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Timings and loopback ports change from run to run; everything else must be the same. */
function normalise(text: string): string {
  return text
    .replace(/\d+(?:\.\d+)? ?(?:ms|s)\b/g, 'T')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:P')
    .replace(/pullpath-mock-\w+/g, 'pullpath-mock-X')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();
}

/** What was printed after the TUI's last frame (whose last line is the key legend) and before EXIT=. */
function afterTui(history: string): string {
  const lines = history.split('\n');
  const legend = lines.findLastIndex((l) => l.includes('q quit'));
  const exit = lines.findIndex((l) => /^EXIT=\d+$/.test(l));
  return lines.slice(legend + 1, exit).join('\n');
}

function expectWithin80(screen: string): void {
  for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
}

describe.skipIf(!HAS_TMUX)('pull in a terminal: a digest-only mirror skipped for a tag', { timeout: 90_000 }, () => {
  const term = new Term('pull');
  let mock: ChildProcess;
  let pullArgs: string[] = [];

  beforeAll(async () => {
    mock = spawn(process.execPath, ['bin/pullpath.js', 'mock', 'scenarios/idms-digest-only.toml', '--duration', '120'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    mock.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const end = Date.now() + 30_000;
    while (!/^ {2}pullpath pull .*$/m.test(out)) {
      if (Date.now() > end) throw new Error(`the mock never printed its pull command:\n${out}`);
      await sleep(100);
    }
    // The ready-made command the mock prints: flags without spaces in their values, then the reference.
    pullArgs = /^ {2}pullpath (pull .*)$/m.exec(out)![1]!.split(' ');
    term.start(`node bin/pullpath.js ${pullArgs.join(' ')}`);
  }, 40_000);
  afterAll(() => {
    term.kill();
    mock?.kill();
  });

  it('shows the skip reason whole within 80 columns, and stays on screen after the run', async () => {
    const s = await term.waitFor((x) => /^pullpath · pull\s+done$/m.test(x), 'the finished pull');
    expectWithin80(s);
    const note = s.split('\n').filter((l) => l.startsWith('! skipped') || (l.startsWith('    ') && !l.includes('quay.io'))).map((l) => l.trim()).join(' ');
    expect(note).toBe('! skipped mirror.corp.example.com:5000/ocp4/release: digest-only mirror skipped for a tag reference (pull-from-mirror = "digest-only")');
    expect(s).toMatch(/^↑↓\/jk select · enter attempts · e full error · f failures only · q quit$/m);
    await sleep(1500);
    expect(term.screen()).not.toMatch(/EXIT=/);
  });

  it('expands the attempt chain with enter: the matched entry, the skipped mirror, the primary that served', async () => {
    await term.keys('Enter');
    const s = await term.waitFor((x) => x.includes('matched [[registry]]'), 'the attempt chain');
    expect(s).toMatch(/^ {4}matched \[\[registry\]\] "quay\.io\/openshift-release-dev\/ocp-release"/m);
    expect(s).toMatch(/^ {4}skipped mirror\.corp\.example\.com:5000\/ocp4\/release: digest-only/m);
    expect(s).toMatch(/^ {4}1 {2}primary quay\.io\/\S+\s+ok\s+200/m);
    expectWithin80(s);
  });

  it('quits with q, exits 0 and prints the report that --no-tui prints', async () => {
    await term.keys('q');
    const h = await term.waitFor((x) => /^EXIT=\d+$/m.test(x), 'the exit', 20_000, () => term.history());
    expect(h).toMatch(/^EXIT=0$/m);
    const plain = await run(process.execPath, ['bin/pullpath.js', ...pullArgs, '--no-tui'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    expect(plain.stdout).toContain('skipped mirror mirror.corp.example.com:5000/ocp4/release: digest-only mirror skipped for a tag reference');
    expect(normalise(afterTui(h))).toBe(normalise(plain.stdout));
  });
});

describe.skipIf(!HAS_TMUX)('demo in a terminal: q prints the --no-tui report', { timeout: 90_000 }, () => {
  const term = new Term('demo');
  beforeAll(() => term.start('node bin/pullpath.js demo'));
  afterAll(() => term.kill());

  it('stays until q, then prints the same report as --no-tui and exits 0', async () => {
    await term.waitFor((x) => /^pullpath · scenario .*done$/m.test(x), 'the finished demo');
    await sleep(1000);
    expect(term.screen()).not.toMatch(/EXIT=/);
    await term.keys('q');
    const h = await term.waitFor((x) => /^EXIT=\d+$/m.test(x), 'the exit', 20_000, () => term.history());
    expect(h).toMatch(/^EXIT=0$/m);
    const plain = await run(process.execPath, ['bin/pullpath.js', 'demo', '--no-tui'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    expect(afterTui(h)).toMatch(/^ {2}PASS: 3\/3 pulls as expected, 25\/25 expectations met/m);
    expect(normalise(afterTui(h))).toBe(normalise(plain.stdout));
  });
});

describe.skipIf(!HAS_TMUX)('load in a terminal: one aggregate on the board and in the report', { timeout: 90_000 }, () => {
  const term = new Term('load');
  beforeAll(() => term.start('node bin/pullpath.js load --scenario scenarios/mirror-outage-timeline.toml --duration 4 --rate 40'));
  afterAll(() => term.kill());
  let board = '';

  it('ends on a board within 80 columns whose time to failover names the fault only', async () => {
    board = await term.waitFor((x) => /^pullpath · load\s+done · /m.test(x), 'the finished load run');
    expectWithin80(board);
    expect(board).toMatch(/^ {2}time to failover\s+pulls\s+p50\s+p90\s+p99\s+max$/m);
    expect(board).toMatch(/^ {2}refuse\s+\d+\s/m);
    expect(board).not.toMatch(/^ {2}(refused|reset)\s+\d+\s/m);
    expect(board).toMatch(/^ {2}refuse\s+mirror\.corp\.example\.com:5000\s+\d+\.\d s – end$/m);
    await sleep(1000);
    expect(term.screen()).not.toMatch(/EXIT=/);
  });

  it('answers its keys: enter shows the selected endpoint\'s errors and failing window, f filters', async () => {
    await term.keys('Enter');
    // Refused connections, and resets of connections kept alive from before the outage.
    const s = await term.waitFor((x) => /errors: (?:\S+ \d+, )*refused \d+(?:, \S+ \d+)* · failing \d+\.\d s – \d+\.\d s/.test(x), 'the endpoint details');
    expectWithin80(s);
    await term.keys('f');
    await term.waitFor((x) => x.includes('problems only'), 'the problems filter');
  });

  it('quits with q and prints the report: the board\'s figures, failures inside the fault window', async () => {
    await term.keys('q');
    const h = await term.waitFor((x) => /^EXIT=\d+$/m.test(x), 'the exit', 20_000, () => term.history());
    expect(h).toMatch(/^EXIT=0$/m);
    const report = afterTui(h);
    const failoverTable = report.slice(report.indexOf('TIME TO FAILOVER'), report.indexOf('\n\n', report.indexOf('TIME TO FAILOVER')));
    expect(failoverTable.split('\n').slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['refuse']);
    // The board's time-to-failover row is the report's, figure for figure.
    const row = (text: string): string[] => /^\s*refuse\s+(\d+)\s+(\S+ m?s)\s+(\S+ m?s)\s+(\S+ m?s)\s+(\S+ m?s)\s*$/m.exec(text)?.slice(1) ?? [];
    expect(row(board)).toHaveLength(5);
    expect(row(board)).toEqual(row(failoverTable));
    // The mirror fails from the fault's start on, not before it.
    const fault = /^refuse\s+mirror\.corp\.example\.com:5000\s+(\d+\.\d) s – end$/m.exec(report);
    // The endpoint row: a table row, or its record form ("errors refused N, failing A s – B s") when wider than 80 columns.
    const failing = /^mirror\.corp\.example\.com:5000\/acme\s[^]*?refused \d+(?:, \S+ \d+)*,?\s+(?:failing )?(\d+\.\d) s – \d+\.\d s$/m.exec(report);
    expect(fault, report).not.toBeNull();
    expect(failing, report).not.toBeNull();
    expect(Number(failing![1])).toBeGreaterThanOrEqual(Number(fault![1]) - 0.1);
  });
});

describe.skipIf(!HAS_TMUX)('Ctrl-C in a TUI: the run stops as SIGINT stops it', { timeout: 90_000 }, () => {
  const term = new Term('ctrlc');
  // A long load run: Ctrl-C must end it early, print the report and exit 130 (raw mode turns Ctrl-C into a key).
  beforeAll(() => term.start('node bin/pullpath.js load --scenario scenarios/mirror-outage-timeline.toml --duration 60 --rate 20'));
  afterAll(() => term.kill());

  it('exits 130 after printing the report', async () => {
    await term.waitFor((x) => /^pullpath · load\s+running/m.test(x) || /^pullpath · load/m.test(x), 'the running board');
    await sleep(1500);
    await term.keys('C-c');
    const h = await term.waitFor((x) => /^EXIT=\d+$/m.test(x), 'the exit', 20_000, () => term.history());
    expect(h).toMatch(/^EXIT=130$/m);
    expect(afterTui(h)).toMatch(/pulls in \d+(?:\.\d+)? s \(open loop\)/);
  });
});
