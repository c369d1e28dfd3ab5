/**
 * The corpus: real error texts written by skopeo 1.9.3 and podman 4.3 (test/fixtures/explain/runs/, made by
 * generate.ts against docker-registry and pullpath's mocks), each beside `pullpath pull -o json` for the same
 * run. explain must read every text back into the attempts pullpath itself recorded: same references in the
 * same order, same mirror/primary role, same error class, same HTTP status where the words carry one. The
 * same texts are also fed as a kubelet event, as an `oc describe pod` row wrapped at 60 columns, and cut off.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseErrorText, type ParsedError } from '../../src/explain/parse.ts';
import type { ErrorClass } from '../../src/registry/error-class.ts';

const RUNS = join(import.meta.dirname, '../fixtures/explain/runs');
const texts = readdirSync(RUNS).filter((n) => n.endsWith('.txt')).sort();

interface PullRecord {
  type: 'attempt' | 'result';
  reference?: string;
  mirror?: boolean;
  outcome?: string;
  errorClass: ErrorClass | null;
  httpStatus?: number | null;
  error: string | null;
  ok?: boolean;
}

/** Classes whose status the runtime's words carry (a network failure says nothing of the ping's 200). */
const HTTP_CLASSES = new Set<ErrorClass | null>(['unauthorized', 'forbidden', 'not-found', 'rate-limited', 'server-error', 'http-error']);

function pullRecords(name: string): PullRecord[] {
  return readFileSync(join(RUNS, `${name}.pullpath.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as PullRecord);
}

const situation = (file: string) => file.replace(/\.(skopeo-inspect|skopeo-tty|skopeo-copy|podman)\.txt$/, '');

/** What both sides are compared on. */
function shape(p: ParsedError) {
  return {
    attempts: p.attempts.map((a) => ({ reference: a.reference, errorClass: a.errorClass, httpStatus: HTTP_CLASSES.has(a.errorClass) ? a.httpStatus : null })),
    afterChoice: p.afterChoice?.errorClass ?? null,
  };
}

function expected(records: PullRecord[]) {
  const failed = records.filter((r) => r.type === 'attempt' && r.outcome !== 'ok');
  const result = records.find((r) => r.type === 'result')!;
  const chosen = records.some((r) => r.type === 'attempt' && r.outcome === 'ok');
  if (failed.length === 0 && !chosen) {
    // Nothing reached the wire (configuration, rewrite): one lone error of class config, about the image.
    return { config: true as const, resultClass: result.errorClass };
  }
  return {
    attempts: failed.map((a) => ({ reference: a.reference!, errorClass: a.errorClass, httpStatus: HTTP_CLASSES.has(a.errorClass) ? (a.httpStatus ?? null) : null })),
    afterChoice: chosen ? result.errorClass : null,
  };
}

function checkAgainstPull(file: string, parsed: ParsedError[]): void {
  expect(parsed.length, file).toBe(1);
  const p = parsed[0]!;
  const want = expected(pullRecords(situation(file)));
  if ('config' in want) {
    expect(p.attempts.map((a) => a.errorClass), file).toEqual(['config']);
    expect(want.resultClass).toBe('config');
    return;
  }
  expect(shape(p), file).toEqual(want);
  // Roles: bracketed entries are mirrors, the last of a chain the primary; a lone error is the only source.
  const records = pullRecords(situation(file)).filter((r) => r.type === 'attempt' && r.outcome !== 'ok');
  p.attempts.forEach((a, i) => {
    if (a.mirror !== null) expect(a.mirror, `${file} attempt ${i}`).toBe(records[i]!.mirror);
  });
}

/** The runtime's final error as CRI-O puts it in a kubelet event. */
function finalError(file: string): { image: string; error: string } {
  const p = parseErrorText(readFileSync(join(RUNS, file), 'utf8'))[0]!;
  return { image: p.image!, error: p.text };
}

/** An `oc describe pod` Events row, the message wrapped every `width` columns with the table's indentation. */
function describeRow(message: string, width: number): string {
  const head = '  Warning  Failed     3m12s (x4 over 4m40s)  kubelet            ';
  const flat = message.replace(/\n/g, ' ');
  const lines: string[] = [];
  for (let i = 0; i < flat.length; i += width) lines.push(flat.slice(i, i + width));
  return [
    'Events:',
    '  Type     Reason     Age                    From               Message',
    '  ----     ------     ----                   ----               -------',
    '  Normal   Pulling    4m40s (x4 over 6m)     kubelet            Pulling image "x"',
    head + lines[0],
    ...lines.slice(1).map((l) => ' '.repeat(head.length) + l),
    '  Warning  Failed     3m12s (x4 over 4m40s)  kubelet            Error: ErrImagePull',
    '  Normal   BackOff    2m (x6 over 4m39s)     kubelet            Back-off pulling image "x"',
  ].join('\n');
}

describe('explain reads real runtime output back into pullpath\'s attempts', () => {
  it('has a corpus for every tool and the error classes provoked', () => {
    expect(texts.length).toBeGreaterThanOrEqual(70);
    const classes = new Set(texts.flatMap((f) => parseErrorText(readFileSync(join(RUNS, f), 'utf8')).flatMap((p) => [...p.attempts.map((a) => a.errorClass), p.afterChoice?.errorClass])));
    for (const c of ['refused', 'not-found', 'blocked', 'http-to-https', 'tls', 'unauthorized', 'forbidden', 'server-error', 'rate-limited', 'timeout', 'reset', 'config'] as const) expect(classes.has(c), c).toBe(true);
  });

  it.each(texts)('%s: as the tool wrote it', (file) => {
    checkAgainstPull(file, parseErrorText(readFileSync(join(RUNS, file), 'utf8')));
  });

  const inspect = texts.filter((f) => f.endsWith('.skopeo-inspect.txt'));

  it.each(inspect)('%s: as a kubelet event', (file) => {
    const { image, error } = finalError(file);
    const event = `Failed to pull image "${image}": rpc error: code = Unknown desc = ${error}`;
    const parsed = parseErrorText(event);
    expect(parsed[0]!.wrappers.slice(0, 2)).toEqual(['kubelet', 'rpc']);
    checkAgainstPull(file, parsed);
  });

  it.each(inspect)('%s: as an oc describe pod row wrapped at 60 columns', (file) => {
    const { image, error } = finalError(file);
    const parsed = parseErrorText(describeRow(`Failed to pull image "${image}": rpc error: code = Unknown desc = ${error}`, 60));
    expect(parsed[0]!.format).toBe('describe');
    checkAgainstPull(file, parsed);
  });

  it.each(inspect.filter((f) => /chain|mirror/.test(f)))('%s: cut off inside the last attempt', (file) => {
    const { image, error } = finalError(file);
    const full = `Failed to pull image "${image}": rpc error: code = Unknown desc = ${error}`;
    const parsed = parseErrorText(describeRow(full.slice(0, full.length - 12) + '...', 60));
    const whole = parseErrorText(full)[0]!;
    const p = parsed[0]!;
    expect(p.truncated).toBe(true);
    // Every attempt before the cut is read whole; the cut one keeps its reference.
    expect(p.attempts.slice(0, -1).map((a) => [a.reference, a.errorClass])).toEqual(whole.attempts.slice(0, p.attempts.length - 1).map((a) => [a.reference, a.errorClass]));
    expect(p.attempts.at(-1)!.truncated).toBe(true);
  });

  it('podman short names: one attempt per candidate, in order', () => {
    const p = parseErrorText(readFileSync(join(RUNS, 'short-name-two-candidates.podman.txt'), 'utf8'))[0]!;
    expect(p.attempts.map((a) => [a.candidate, a.errorClass])).toEqual([
      [0, 'not-found'],
      [1, 'refused'],
    ]);
  });

  it('counts podman\'s retries (network errors and 429 were retried 3 times; 404, auth, TLS not)', () => {
    const retries = (name: string) => parseErrorText(readFileSync(join(RUNS, `${name}.podman.txt`), 'utf8'))[0]!.retries;
    expect(['single-refused', 'reset', 'rate-limited-429', 'chain-404-refused-refused'].map(retries)).toEqual([3, 3, 3, 3]);
    expect(['single-not-found', 'auth-no-credentials', 'tls-unknown-authority', 'http-to-https', 'blocked'].map(retries)).toEqual([0, 0, 0, 0, 0]);
  });
});

/**
 * Where pullpath's engine words an attempt differently from skopeo 1.9.3 (classes agree; see the notes file).
 * Listed so the set cannot grow unseen: a new difference fails here, a fixed one too (then remove it).
 */
const KNOWN_WORDING_GAPS = new Set(['bearer-anonymous', 'reset', 'wrong-digest', 'timeout-blackhole']);

describe('attempt wording: explain keeps the runtime\'s words, pullpath\'s engine matches them', () => {
  const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
  it.each(texts.filter((f) => f.endsWith('.skopeo-inspect.txt')))('%s', (file) => {
    const name = situation(file);
    const p = parseErrorText(readFileSync(join(RUNS, file), 'utf8'))[0]!;
    const failed = pullRecords(name).filter((r) => r.type === 'attempt' && r.outcome !== 'ok');
    const same = p.attempts.length === failed.length && p.attempts.every((a, i) => norm(a.error).replace(/\/tmp\/\S+/g, 'TMP') === norm(failed[i]!.error).replace(/\/tmp\/\S+/g, 'TMP'));
    expect(same || failed.length === 0, name).toBe(!KNOWN_WORDING_GAPS.has(name) || failed.length === 0);
  });
});
