/**
 * Runtime error text → the attempts it records, in the engine's terms (reference, step, error class, HTTP
 * status), so that explain can say what happened with the same words as `pullpath pull`. Pure.
 *
 * Line wrapping is undone by trying the joins a paste may need (as written; line breaks as spaces; line breaks
 * removed, for a wrap inside a word) and keeping the reading that recognises the most: a wrap can fall inside
 * a reference or between words, and only the result tells which.
 */
import type { ErrorClass } from '../registry/error-class.ts';
import type { StepName } from '../registry/step.ts';
import { classifyAttemptError } from './classify.ts';
import { extractMessages, type ExtractedMessage, type InputFormat } from './extract.ts';
import { parseChain, splitCandidates } from './parse-chain.ts';

export interface ParsedAttempt {
  /** The physical reference tried, as the text names it (or as derived from the image for a lone error). */
  reference: string | null;
  /** The registry host contacted, when known. */
  host: string | null;
  /** true: a mirror; false: the primary (last in a chain); null: a lone error (the only source tried). */
  mirror: boolean | null;
  step: StepName | null;
  errorClass: ErrorClass;
  httpStatus: number | null;
  /** The runtime's own words for this attempt. */
  error: string;
  /** podman short names: the candidate this attempt belongs to. */
  candidate?: number;
  /** The prefix of the `[[registry]]` entry that blocks it, and the files the runtime names. */
  blockedPrefix?: string;
  blockedIn?: string;
  truncated: boolean;
}

/** A failure after a source was chosen (blob, digest, platform, policy): the runtime names no registry. */
export interface AfterChoice {
  step: StepName | null;
  errorClass: ErrorClass;
  httpStatus: number | null;
  error: string;
}

export interface ParsedError {
  format: InputFormat;
  wrappers: string[];
  /** The image as the outermost wrapper names it, as written there (podman shortens docker.io names). */
  image: string | null;
  /** The same, fully qualified (`docker.io/library/…`), or null. */
  normalized: string | null;
  attempts: ParsedAttempt[];
  afterChoice: AfterChoice | null;
  /** podman: how many times it retried the whole pull (network errors only). */
  retries: number;
  truncated: boolean;
  /** The error with its wrappers removed, as the reading that was kept has it. */
  text: string;
  /** Which join of wrapped lines was kept: `as-written`, `spaces` or `joined`. */
  lineJoin: 'as-written' | 'spaces' | 'joined';
}

/** `hello:latest` → `docker.io/library/hello:latest` (what podman and `skopeo copy` print shortened). */
export function qualify(ref: string): string {
  const r = ref.replace(/^docker:\/\//, '');
  const slash = r.indexOf('/');
  const first = slash < 0 ? '' : r.slice(0, slash);
  if (first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))) return r;
  return slash < 0 ? `docker.io/library/${r}` : `docker.io/${r}`;
}

/** The host part of a qualified reference, as the runtime dials it (Docker Hub's API host for docker.io). */
function hostOf(ref: string): string {
  const h = ref.split('/')[0]!;
  return h === 'docker.io' ? 'registry-1.docker.io' : h;
}

function isAfterChoice(cls: ErrorClass, step: StepName | null, host: string | null): boolean {
  if (host !== null) return false;
  return cls === 'digest-mismatch' || cls === 'policy' || step === 'blobs' || (cls === 'not-found' && step === 'manifest') || cls === 'too-large';
}

function attemptsOf(text: string, normalized: string | null, candidate: number | undefined, truncatedInput: boolean): { attempts: ParsedAttempt[]; afterChoice: AfterChoice | null } {
  const entries = parseChain(text);
  const attempts: ParsedAttempt[] = [];
  let afterChoice: AfterChoice | null = null;
  entries.forEach((e, i) => {
    const c = classifyAttemptError(e.error);
    const lone = e.mirror === null;
    if (lone && isAfterChoice(c.errorClass, c.step, c.host)) {
      afterChoice = { step: c.step, errorClass: c.errorClass, httpStatus: c.httpStatus, error: e.error };
      return;
    }
    // A lone error's reference: what the error names, else the image when the host agrees (or is unknown).
    let reference = e.reference ?? c.reference;
    if (reference === null && normalized !== null && (c.host === null || hostOf(normalized) === c.host)) reference = normalized;
    if (reference === null && c.errorClass === 'blocked' && normalized !== null) reference = normalized;
    const host = c.host ?? (reference !== null ? reference.split('/')[0]! : null);
    attempts.push({
      reference,
      host,
      mirror: e.mirror,
      step: c.step,
      errorClass: c.errorClass,
      httpStatus: c.httpStatus,
      error: e.error,
      ...(candidate !== undefined ? { candidate } : {}),
      ...(c.blockedPrefix !== undefined ? { blockedPrefix: c.blockedPrefix, blockedIn: c.blockedIn! } : {}),
      truncated: e.truncated || (truncatedInput && i === entries.length - 1),
    });
  });
  return { attempts, afterChoice };
}

/** How well a reading is understood: recognised classes and references count, unknown ones do not. */
function score(p: ParsedError): number {
  let s = 0;
  for (const a of p.attempts) {
    if (a.errorClass !== 'other') s += 2;
    if (a.reference !== null && !/\s/.test(a.reference)) s += 1;
    if (a.step !== null) s += 1;
  }
  if (p.afterChoice && p.afterChoice.errorClass !== 'other') s += 3;
  if (p.image !== null) s += 1;
  return s;
}

function parseMessage(m: ExtractedMessage, lineJoin: ParsedError['lineJoin']): ParsedError {
  const normalized = m.image !== null ? qualify(m.image) : null;
  const candidates = splitCandidates(m.text);
  let attempts: ParsedAttempt[] = [];
  let afterChoice: AfterChoice | null = null;
  if (candidates !== null) {
    candidates.forEach((c, k) => {
      const inner = unwrapCandidate(c);
      const r = attemptsOf(inner.text, inner.image ?? normalized, k, m.truncated && k === candidates.length - 1);
      attempts.push(...r.attempts);
      afterChoice ??= r.afterChoice;
    });
  } else {
    ({ attempts, afterChoice } = attemptsOf(m.text, normalized, undefined, m.truncated));
  }
  return {
    format: m.format,
    wrappers: m.wrappers,
    image: m.image,
    normalized,
    attempts,
    afterChoice,
    retries: m.retries,
    truncated: m.truncated || attempts.some((a) => a.truncated),
    text: m.text,
    lineJoin,
  };
}

function unwrapCandidate(text: string): { text: string; image: string | null } {
  const m = /^initializing\s*source\s+(\S+?):\s+/.exec(text);
  return m ? { text: text.slice(m[0].length), image: qualify(m[1]!) } : { text, image: null };
}

const NEW_RECORD = /^(?:(?:Normal|Warning)\s|Type\s+Reason|[A-Z][A-Za-z ]*:\s*$|(?:INFO|WARN|ERRO|FATA|DEBU)\[|time=|level=|Error:\s|Trying\sto\s|Events:)/;

/** Line breaks that are wraps (not the chain's own `]\n[` nor a candidate's `\n * `), replaced by `join`. */
function rejoin(input: string, join: string): string {
  return input.replace(/[ \t]*\n[ \t]*/g, (s: string, offset: number, whole: string) => {
    const before = whole.slice(Math.max(0, offset - 1), offset);
    const rest = whole.slice(offset + s.length, offset + s.length + 40);
    if (before === ']' && rest.startsWith('[')) return '\n';
    if (rest.startsWith('* ')) return '\n ';
    // A new record, not a continuation: an event row, a log line, podman's last line, a blank line.
    if (rest === '' || rest.startsWith('\n') || NEW_RECORD.test(rest)) return s;
    return join;
  });
}

export class ExplainInputError extends Error {}

/** What explain expects, for the message when nothing is recognised. */
export const EXPECTED_INPUT =
  'expected a container runtime pull error: a kubelet/CRI-O event (Failed to pull image "REF": rpc error: …), ' +
  'skopeo or podman output (Error parsing image name "docker://REF": …, initializing source docker://REF: …, level=fatal msg="…", FATA[0000] …, Error: …), ' +
  'a (Mirrors also failed: [REF: ERR]): REF: ERR chain, or an oc describe pod block with such an event';

/**
 * Every pull error in `input`, parsed. Throws ExplainInputError (saying what was expected) when the text holds
 * none.
 */
export function parseErrorText(input: string): ParsedError[] {
  const readings: ParsedError[][] = [];
  const joins: [ParsedError['lineJoin'], string | null][] = [['as-written', null], ['spaces', ' '], ['joined', '']];
  for (const [name, join] of joins) {
    if (join !== null && !/\n[ \t]*\S/.test(input.trim())) break; // one line: nothing to rejoin
    const text = join === null ? input : rejoin(input, join);
    readings.push(extractMessages(text).map((m) => parseMessage(m, name)));
  }
  let best = readings[0]!;
  let bestScore = best.reduce((s, p) => s + score(p), 0);
  for (const r of readings.slice(1)) {
    // In an event (kubelet, describe) a line break that is not the chain's own is the terminal's or kubectl's
    // wrapping: on a tie, the reading with the breaks undone wins, so the attempt keeps the runtime's words.
    const s = r.reduce((acc, p) => acc + score(p), 0) + (r.length > 0 && r.every((p) => p.format === 'describe' || p.format === 'kubelet-event') ? 0.5 : 0);
    if (s > bestScore) {
      best = r;
      bestScore = s;
    }
  }
  const useful = best.filter((p) => p.attempts.length > 0 || p.afterChoice !== null);
  if (useful.length === 0) throw new ExplainInputError(`no pull error recognised: ${EXPECTED_INPUT}`);
  return useful;
}
