/** cli/lifecycle.ts: why a run stopped decides its exit code, and a command's own controller follows the run. */
import { describe, expect, it } from 'vitest';
import { EXIT_INTERRUPTED, EXIT_OUTPUT_CLOSED, linkedController, RunLifecycle, RunStopped } from '../../cli/lifecycle.ts';

describe('RunLifecycle', () => {
  it('keeps the command exit code while nothing stopped the run', () => {
    const run = new RunLifecycle();
    expect([run.exitCode(0), run.exitCode(1), run.exitCode(2)]).toEqual([0, 1, 2]);
    expect(run.signal.aborted).toBe(false);
  });

  it('Ctrl-C: 130 whatever the command returned, the signal aborted with a RunStopped', () => {
    const run = new RunLifecycle();
    run.interrupt();
    expect(run.exitCode(0)).toBe(EXIT_INTERRUPTED);
    expect(run.exitCode(1)).toBe(130);
    expect(run.signal.reason).toBeInstanceOf(RunStopped);
    expect((run.signal.reason as RunStopped).why).toBe('interrupted');
  });

  it('a closed output: 141, and the first cause wins', () => {
    const run = new RunLifecycle();
    run.stop('output-closed');
    run.stop('interrupted');
    expect(run.cause).toBe('output-closed');
    expect(run.exitCode(0)).toBe(EXIT_OUTPUT_CLOSED);
  });

  it('linkedController: aborted with the run, and on its own (q) without stopping the run', () => {
    const run = new RunLifecycle();
    const own = linkedController(run.signal);
    own.abort();
    expect(run.signal.aborted).toBe(false);
    const next = linkedController(run.signal);
    run.stop('interrupted');
    expect(next.signal.aborted).toBe(true);
    expect(next.signal.reason).toBe(run.signal.reason);
  });
});

describe('interruptRun (Ctrl-C as a key in the TUI)', () => {
  it('stops the run that another copy of the module started (the TUI is a bundle of its own), and nothing else', async () => {
    const command = await import('../../cli/lifecycle.ts');
    // A second instance of the module, as tui.mjs holds its own copy beside the command's bundle.
    const copyUrl = '../../cli/lifecycle.ts?tui-copy'; // a variable: TypeScript has no module for a query string
    const tuiCopy = (await import(/* @vite-ignore */ copyUrl)) as typeof command;
    expect(tuiCopy).not.toBe(command);
    let foreign = 0;
    const other = () => void foreign++; // e.g. Ink's exit hook, which kills the process when it is the only listener
    process.on('SIGINT', other);
    try {
      tuiCopy.interruptRun(); // no run: nothing happens
      expect(foreign).toBe(0);
      const run = command.startRun();
      try {
        tuiCopy.interruptRun();
        expect(run.cause).toBe('interrupted');
        expect(run.exitCode(0)).toBe(130);
        expect(foreign).toBe(0);
      } finally {
        command.endRun(run);
      }
      tuiCopy.interruptRun(); // the run ended: nothing happens
      expect(foreign).toBe(0);
    } finally {
      process.removeListener('SIGINT', other);
    }
  });
});
