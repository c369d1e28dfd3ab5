/**
 * `verify` on a schedule inside a long-running process (`probe --watch --verify-images`): a run now, then
 * one every `intervalMs` (start to start), until the signal aborts. Each finished run goes to `onRun`
 * (the Prometheus summary); a run the signal cut short is dropped, since its cancelled images say nothing
 * about the mirrors. Runs never overlap: a run longer than the interval delays the next.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { runVerify, type VerifyRunOptions } from './run-verify.ts';
import type { VerifyVerdict } from './verdict.ts';

export interface PeriodicVerifyOptions extends Omit<VerifyRunOptions, 'signal'> {
  intervalMs: number;
  signal: AbortSignal;
  onRun(verdicts: VerifyVerdict[], durationMs: number): void;
}

export async function runPeriodicVerify(opts: PeriodicVerifyOptions): Promise<void> {
  const { intervalMs, signal, onRun, ...run } = opts;
  while (!signal.aborted) {
    const started = performance.now();
    const verdicts: VerifyVerdict[] = [];
    for await (const v of runVerify({ ...run, signal })) verdicts.push(v);
    if (signal.aborted) return;
    const took = performance.now() - started;
    onRun(verdicts, took);
    try {
      await delay(Math.max(0, intervalMs - took), undefined, { signal });
    } catch {
      return; // aborted while waiting
    }
  }
}
