/**
 * HTTP 429 handling, as the runtime's makeRequestToResolvedURL: up to 5 tries, the first wait 2 s, then
 * doubling, capped at 60 s, `Retry-After` (seconds or HTTP date) honoured. pullpath adds one bound: a retry
 * that would start after the attempt's deadline is not made; the notes say so, since the runtime (without a
 * deadline) would still be waiting.
 */
import type { HttpResponse } from './transport.ts';
import { header } from './transport.ts';

export interface Retry429Options {
  maxTries: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const RUNTIME_429: Retry429Options = { maxTries: 5, initialDelayMs: 2000, maxDelayMs: 60_000 };

/** Retry-After in ms, or `fallback` when absent, invalid or in the past. */
export function parseRetryAfter(value: string | undefined, fallback: number, now: number): number {
  if (!value) return fallback;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const t = Date.parse(value);
  if (Number.isFinite(t) && t - now > 0) return t - now;
  return fallback;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function retrying429(
  once: () => Promise<HttpResponse>,
  opts: Partial<Retry429Options> & { now: () => number; deadline: number | undefined; signal: AbortSignal | undefined; notes: string[] },
): Promise<HttpResponse> {
  const first = await once();
  if (first.status !== 429) return first; // the common case: no options merged, no loop
  const cfg = { ...RUNTIME_429, ...Object.fromEntries(Object.entries(opts).filter(([k, v]) => k in RUNTIME_429 && v !== undefined)) } as Retry429Options;
  let delay = cfg.initialDelayMs;
  for (let tries = 1; ; tries++) {
    const res = tries === 1 ? first : await once();
    if (res.status !== 429 || tries >= cfg.maxTries) {
      if (res.status === 429) opts.notes.push(`429 after ${tries} tries (the runtime's limit is ${cfg.maxTries})`);
      return res;
    }
    const wait = Math.min(parseRetryAfter(header(res.headers, 'retry-after'), delay, opts.now()), cfg.maxDelayMs);
    if (opts.deadline !== undefined && opts.now() + wait >= opts.deadline) {
      opts.notes.push(`429 on try ${tries}: the next retry (in ${(wait / 1000).toFixed(1)} s) would pass the attempt deadline, so pullpath stops here; the runtime (no deadline) would retry up to ${cfg.maxTries} tries with 2 s doubling backoff`);
      return res;
    }
    opts.notes.push(`429 on try ${tries}: retrying in ${(wait / 1000).toFixed(1)} s`);
    await sleep(wait, opts.signal);
    delay = wait * 2;
  }
}
