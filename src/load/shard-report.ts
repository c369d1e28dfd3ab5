/**
 * Shard reports: what `load --shard I/N -o json` prints (the load record plus `shard` and `recorder`), how
 * they are found in files (a report file, or `kubectl logs` output where the report is the JSON line among
 * other lines), and a check of their shape with errors that name the file, the line and the field.
 */
import { createHash } from 'node:crypto';
import { PullpathError } from '../errors.ts';
import type { RecorderState } from './recorder-state.ts';

export interface ShardInfo {
  index: number;
  count: number;
  /** Hash of what makes two shards parts of the same run (scenario, references, mode, whole rate, bounds). */
  runId: string;
  /** The image list's indexes this shard pulls (src/load/shard.ts). */
  images: number[];
}

export interface ShardReport {
  /** `file` or `file:line`, for messages. */
  source: string;
  shard: ShardInfo;
  recorder: RecorderState;
}

const stable = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(stable) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, stable(x)])) : v;

/** 16 hex digits of SHA-256 over the description with its keys sorted. */
export function runIdOf(description: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(stable(description))).digest('hex').slice(0, 16);
}

export class ShardReportError extends PullpathError {
  constructor(message: string) {
    super('PP_ERR_SHARD_REPORT', message);
  }
}

const EXPECTED = 'expected the JSON line that `pullpath load --shard I/N -o json` prints';

/**
 * The shard reports in one file's text: the whole text as one JSON object (a saved or pretty-printed report),
 * else every line that starts with `{` (other lines, such as stderr lines in `kubectl logs`, are skipped).
 */
export function parseShardReports(file: string, text: string): ShardReport[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new ShardReportError(`${file}: empty file; ${EXPECTED}`);
  let whole: unknown;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    // not one JSON document: JSON lines
  }
  if (whole !== null && typeof whole === 'object' && !Array.isArray(whole)) return [checkShardRecord(file, whole)];
  const out: ShardReport[] = [];
  text.split('\n').forEach((line, i) => {
    const l = line.trim();
    if (!l.startsWith('{')) return;
    const where = `${file}:${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(l);
    } catch (err) {
      throw new ShardReportError(`${where}: not valid JSON (${(err as Error).message}); ${EXPECTED} (is the line cut short?)`);
    }
    out.push(checkShardRecord(where, v));
  });
  if (out.length === 0) throw new ShardReportError(`${file}: no shard report found; ${EXPECTED}`);
  return out;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function fail(where: string, path: string, expected: string, got: unknown): never {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 60);
  throw new ShardReportError(`${where}: ${path}: expected ${expected}, got ${shown}`);
}

function count(where: string, path: string, v: unknown): number {
  if (!(Number.isInteger(v) && (v as number) >= 0)) fail(where, path, 'a whole number ≥ 0', v);
  return v as number;
}
function num(where: string, path: string, v: unknown, nullable = false): void {
  if (nullable && v === null) return;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(where, path, nullable ? 'a number or null' : 'a number', v);
}
function counts(where: string, path: string, v: unknown): void {
  if (!isObj(v)) fail(where, path, 'an object of counts', v);
  for (const [k, n] of Object.entries(v)) count(where, `${path}.${k}`, n);
}
function hist(where: string, path: string, v: unknown): void {
  if (!isObj(v) || typeof v.hdr !== 'string') fail(where, path, 'an encoded histogram {"hdr": base64, "maxUs": number}', v);
  count(where, `${path}.maxUs`, v.maxUs);
}
function hists(where: string, path: string, v: unknown): void {
  if (!isObj(v)) fail(where, path, 'an object of encoded histograms', v);
  for (const [k, h] of Object.entries(v)) hist(where, `${path}.${k}`, h);
}

/** One parsed JSON value as a shard report, or an error naming what is missing. */
export function checkShardRecord(where: string, v: unknown): ShardReport {
  if (!isObj(v) || v.type !== 'load') fail(where, 'type', '"load" (a `pullpath load -o json` record)', isObj(v) ? v.type : v);
  if (v.shards !== undefined) throw new ShardReportError(`${where}: this is a merged report, not a shard report; merge the shard reports themselves`);
  if (v.shard === undefined || v.recorder === undefined) {
    throw new ShardReportError(`${where}: a load report without "shard" and "recorder": only a run with --shard I/N writes the histograms a merge needs (use --shard 0/1 for one process)`);
  }
  const s = v.shard;
  if (!isObj(s)) fail(where, 'shard', 'an object', s);
  const n = count(where, 'shard.count', s.count);
  if (n < 1) fail(where, 'shard.count', 'at least 1', n);
  const i = count(where, 'shard.index', s.index);
  if (i >= n) fail(where, 'shard.index', `0 to ${n - 1} (0-based)`, i);
  if (typeof s.runId !== 'string' || s.runId === '') fail(where, 'shard.runId', 'a string', s.runId);
  if (!Array.isArray(s.images)) fail(where, 'shard.images', 'an array of image indexes', s.images);
  const r = v.recorder;
  if (!isObj(r)) fail(where, 'recorder', 'an object', r);
  if (r.version !== 1) fail(where, 'recorder.version', '1 (written by this pullpath version)', r.version);
  if (r.mode !== 'open' && r.mode !== 'closed') fail(where, 'recorder.mode', '"open" or "closed"', r.mode);
  num(where, 'recorder.elapsedMs', r.elapsedMs);
  for (const k of ['started', 'requests', 'successes', 'lateStarts', 'cancelled', 'digestMismatches']) count(where, `recorder.${k}`, r[k]);
  counts(where, 'recorder.failures', r.failures);
  counts(where, 'recorder.winners', r.winners);
  hist(where, 'recorder.latency', r.latency);
  hist(where, 'recorder.serviceTime', r.serviceTime);
  hists(where, 'recorder.steps', r.steps);
  hists(where, 'recorder.failover', r.failover);
  if (!Array.isArray(r.endpoints)) fail(where, 'recorder.endpoints', 'an array', r.endpoints);
  r.endpoints.forEach((e: unknown, k: number) => {
    const p = `recorder.endpoints[${k}]`;
    if (!isObj(e) || typeof e.endpoint !== 'string' || typeof e.mirror !== 'boolean') fail(where, p, 'an endpoint {"endpoint": string, "mirror": boolean, …}', e);
    for (const f of ['order', 'attempts', 'ok', 'failed', 'blocked']) count(where, `${p}.${f}`, e[f]);
    counts(where, `${p}.errors`, e.errors);
    hist(where, `${p}.latency`, e.latency);
    hists(where, `${p}.steps`, e.steps);
    num(where, `${p}.failingFromMs`, e.failingFromMs, true);
    num(where, `${p}.failingToMs`, e.failingToMs, true);
  });
  if (!Array.isArray(r.faults)) fail(where, 'recorder.faults', 'an array', r.faults);
  if (!Array.isArray(r.perSecond)) fail(where, 'recorder.perSecond', 'an array', r.perSecond);
  r.perSecond.forEach((b: unknown, k: number) => {
    if (!isObj(b)) fail(where, `recorder.perSecond[${k}]`, '{"ok": n, "failed": n}', b);
    count(where, `recorder.perSecond[${k}].ok`, b.ok);
    count(where, `recorder.perSecond[${k}].failed`, b.failed);
  });
  return { source: where, shard: { index: i, count: n, runId: s.runId, images: s.images as number[] }, recorder: r as unknown as RecorderState };
}
