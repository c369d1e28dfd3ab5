/**
 * Finds the runtime's error messages in text as users paste it, and takes off what each tool wraps around
 * them. The formats (issue 13, observed with skopeo 1.9.3 and podman 4.3):
 *   logrus lines       `time=… level=fatal msg="Error parsing image name \"docker://REF\": …"` (escaped quotes,
 *                      literal `\n`); podman's retries as `level=warning msg="Failed, retrying in 1s ... (N/3). Error: …"`
 *   terminal output    `FATA[0000] …`, `WARN[0001] Failed, retrying …`, podman's `Error: …`, real newlines
 *   kubelet / CRI-O    `Failed to pull image "REF": rpc error: code = Unknown desc = …`, alone or inside an
 *                      `oc describe pod` block (event rows, wrapped and indented, maybe cut off)
 *   the bare error     `(Mirrors also failed: […]): …`, `pinging container registry …`, …
 */
import { readGoQuoted } from './go-unquote.ts';

export type InputFormat = 'logrus' | 'terminal' | 'kubelet-event' | 'describe' | 'podman' | 'bare';

export interface ExtractedMessage {
  format: InputFormat;
  /** The error itself, wrappers removed (still the runtime's grammar). */
  text: string;
  /** The image as the outermost wrapper names it (`Failed to pull image "REF"`, `docker://REF`), or null. */
  image: string | null;
  /** Which wrappers were found, outermost first (`kubelet`, `rpc`, `skopeo inspect`, `copy`, `podman`). */
  wrappers: string[];
  /** podman's `Failed, retrying in 1s ... (N/3)` lines seen before this message. */
  retries: number;
  /** The input ended (or said `...`) before the message did. */
  truncated: boolean;
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
/** Words a runtime error starts with, once its wrappers are off. */
export const ERROR_START =
  /\(\s*Mirrors\s*also\s*failed|pinging\s*container\s*registry|reading\s*manifest|registry\s+\S+\s+is\s*blocked|unable\s*to\s*retrieve\s*auth\s*token|reading\s*blob|parsing\s*image\s*configuration|Error\s*fetching\s*blob|initializing\s*source|Error\s*parsing\s*image\s*name|Failed\s*to\s*pull\s*image|rpc\s*error|loading\s*registries|rewriting\s*reference|\d+\s*errors?\s*occurred\s*while\s*pulling|invalid\s*reference\s*format|Source\s*image\s*rejected|Manifest\s*does\s*not\s*match|Image\s*manifest\s*does\s*not\s*match|no\s*image\s*found\s*in|short-name|copying\s*system\s*image|Get\s+"https?:/;

/** Takes the wrappers off one message, outermost first. */
export function unwrap(text: string): { text: string; image: string | null; wrappers: string[] } {
  let t = text.trim();
  let image: string | null = null;
  const wrappers: string[] = [];
  const setImage = (ref: string) => {
    if (image === null) image = ref.replace(/^docker:\/\//, '');
  };
  for (let guard = 0; guard < 12; guard++) {
    let m: RegExpExecArray | null;
    if ((m = /^Failed\s*to\s*pull\s*image\s*"([^"]*)"\s*:\s*/.exec(t))) {
      setImage(m[1]!);
      wrappers.push('kubelet');
    } else if ((m = /^rpc\s*error:\s*code\s*=\s*\w+\s*desc\s*=\s*/.exec(t))) {
      wrappers.push('rpc');
    } else if ((m = /^Error\s*parsing\s*image\s*name\s*"([^"]*)"\s*:\s*/.exec(t))) {
      setImage(m[1]!);
      wrappers.push('skopeo inspect');
    } else if ((m = /^initializing\s*source\s+(\S+?):\s+/.exec(t))) {
      setImage(m[1]!);
      wrappers.push('copy');
    } else if ((m = /^(?:Error|ERRO\[\d+\]|FATA\[\d+\])\s*:?\s*/.exec(t)) && m[0].length > 0) {
      wrappers.push('error');
    } else if ((m = /^(?:unable\s*to\s*pull|Error\s*pulling\s*image|pulling\s*image)\s+"?([^"\s]+?)"?:\s+/.exec(t))) {
      setImage(m[1]!);
      wrappers.push('pull');
    } else if ((m = /^copying\s*system\s*image\s*from\s*manifest\s*list:\s*/.exec(t))) {
      wrappers.push('copy');
    } else if ((m = /^ErrImagePull:\s*/.exec(t))) {
      wrappers.push('kubelet');
    } else break;
    t = t.slice(m[0].length);
  }
  return { text: t, image, wrappers };
}

const RETRY = /^Failed,\s*retrying\s*in\s*\S+\s*\.\.\.\s*\((\d+)\/(\d+)\)\.\s*Error:\s*/;
const LOGRUS = /\blevel=(\w+)\s+msg="/;
const TERMINAL_LEVEL = /^(INFO|WARN|ERRO|FATA|DEBU|TRAC|PANI)\[\d+\]\s*/;
/** A row of an `oc describe pod` Events table (`  Warning  Failed  3m (x4 over 5m)  kubelet  …`). */
const EVENT_ROW = /^\s*(Normal|Warning)\s+(\S+)\s+(.*?)\s{2,}(\S.*)$/;

function message(format: InputFormat, raw: string, retries: number, truncated: boolean): ExtractedMessage {
  let t = raw.trim();
  let cut = truncated;
  if (/(\.\.\.|\u2026)$/.test(t) && !/retrying in/.test(t)) {
    t = t.replace(/\s*(\.\.\.|\u2026)$/, '');
    cut = true;
  }
  const u = unwrap(t);
  return { format, text: u.text, image: u.image, wrappers: u.wrappers, retries, truncated: cut };
}

/** Whether the `msg="…` value in `line` is still open at the end of the line (a terminal wrapped it). */
function openQuote(line: string): boolean {
  const m = LOGRUS.exec(line);
  return m !== null && readGoQuoted(line, m.index + m[0].length - 1).truncated;
}

/** logrus text lines: one message per `msg="…"`; a line cut inside its quotes is joined with the next. */
function fromLogrus(lines: string[]): ExtractedMessage[] {
  // Real newlines inside a logrus value are terminal wraps (logrus escapes its own as \n): join them.
  const logical: string[] = [];
  for (const line of lines) {
    const prev = logical.length > 0 ? logical[logical.length - 1]! : null;
    if (prev !== null && openQuote(prev) && !LOGRUS.test(line)) logical[logical.length - 1] = prev + line.replace(/^[ \t]+/, '');
    else logical.push(line);
  }
  const out: ExtractedMessage[] = [];
  let retries = 0;
  let lastRetry: { value: string; truncated: boolean } | null = null;
  const accessed: { reference: string; error: string }[] = [];
  const plain: string[] = [];
  for (const line of logical) {
    const m = LOGRUS.exec(line);
    if (!m) {
      plain.push(line);
      continue;
    }
    const level = m[1]!;
    const q = readGoQuoted(line, m.index + m[0].length - 1);
    if (level === 'debug' || level === 'info' || level === 'trace') {
      // `--debug` output: the per-source lines, used when no final error is there (a log excerpt).
      const acc = /^Accessing\s*"([^"]+)"\s*failed:\s*([\s\S]*)$/.exec(q.value);
      if (acc) accessed.push({ reference: acc[1]!, error: acc[2]! });
      continue;
    }
    const retry = RETRY.exec(q.value);
    if (retry) {
      retries = Number(retry[1]);
      lastRetry = { value: q.value.slice(retry[0].length), truncated: q.truncated };
      continue;
    }
    if (!ERROR_START.test(q.value)) continue;
    out.push(message('logrus', q.value, retries, q.truncated));
    retries = 0;
    lastRetry = null;
  }
  // podman writes its final `Error: …` without logrus (real newlines, to the end of its output).
  const rest = plain.join('\n');
  const final = /^Error:\s*([\s\S]*)$/m.exec(rest);
  if (final) {
    const msg = message('podman', final[0], retries, false);
    const same = out.find((o) => o.text === msg.text);
    if (same === undefined) out.push(msg);
    else same.retries = Math.max(same.retries, retries);
  } else if (lastRetry !== null) {
    // Only retries survived (the final line was cut off): the last retry's chain is the error.
    out.push(message('logrus', lastRetry.value, retries, true));
  }
  if (out.length === 0 && accessed.length > 0) {
    // Rebuilt in the runtime's own form; the last source logged stands where the primary would.
    const last = accessed[accessed.length - 1]!;
    const chain =
      accessed.length === 1
        ? last.error
        : `(Mirrors also failed: ${accessed.slice(0, -1).map((a) => `[${a.reference}: ${a.error}]`).join('\n')}): ${last.reference}: ${last.error}`;
    out.push({ ...message('logrus', chain, 0, false), image: accessed.length === 1 ? last.reference : null, wrappers: ['debug'] });
  }
  return out;
}

/** Terminal output (`FATA[0000] …`, `WARN[0001] Failed, retrying …`, `Error: …`): real newlines. */
function fromTerminal(text: string): ExtractedMessage[] {
  const out: ExtractedMessage[] = [];
  let retries = 0;
  // Split before each level marker or podman's `Error:` at a line start.
  const parts = text.split(/\n(?=(?:INFO|WARN|ERRO|FATA|DEBU|TRAC|PANI)\[\d+\]|Error:\s|Trying\s*to\s*pull\s)/);
  for (const part of parts) {
    const level = TERMINAL_LEVEL.exec(part);
    const body = level ? part.slice(level[0].length) : part;
    if (level && /^(DEBU|INFO|TRAC)$/.test(level[1]!)) continue;
    const retry = RETRY.exec(body);
    if (retry) {
      retries = Number(retry[1]);
      continue;
    }
    if (!ERROR_START.test(body)) continue;
    const msg = message(level ? 'terminal' : 'podman', body, retries, false);
    if (!out.some((o) => o.text === msg.text)) out.push(msg);
    else out[out.length - 1]!.retries = Math.max(out[out.length - 1]!.retries, retries);
    retries = 0;
  }
  return out;
}

/**
 * Kubelet events, alone or as `oc describe pod` rows. A row's message continues on the following lines until
 * the next row; those continuation lines are the terminal's or kubectl's wrapping.
 */
function fromEvents(lines: string[]): ExtractedMessage[] {
  const out: ExtractedMessage[] = [];
  const describe = lines.some((l) => EVENT_ROW.test(l));
  let current: string[] | null = null;
  const flush = () => {
    if (current === null) return;
    const text = current.join('\n');
    current = null;
    const at = text.search(/Failed\s*to\s*pull\s*image/);
    if (at < 0) return;
    const msg = message(describe ? 'describe' : 'kubelet-event', text.slice(at), 0, false);
    const same = out.find((o) => o.text === msg.text);
    if (!same) out.push(msg);
  };
  for (const line of lines) {
    const row = describe ? EVENT_ROW.exec(line) : null;
    if (row || /Failed\s*to\s*pull\s*image\s*"/.test(line)) {
      flush();
      current = [line];
    } else if (current !== null) {
      // The Events table ends at a blank line or a new section header (`Volumes:`).
      if (line.trim() === '' || /^\S[^:]*:\s*$/.test(line)) flush();
      else current.push(line);
    }
  }
  flush();
  return out;
}

/** Every runtime error message found in `input`, in order. Empty when none is recognised. */
export function extractMessages(input: string): ExtractedMessage[] {
  const text = input.replace(/\r\n?/g, '\n').replace(ANSI, '');
  const lines = text.split('\n');
  if (lines.some((l) => LOGRUS.test(l))) {
    const found = fromLogrus(lines);
    if (found.length > 0) return found;
  }
  if (/Failed\s*to\s*pull\s*image\s*"/.test(text)) {
    const found = fromEvents(lines);
    if (found.length > 0) return found;
  }
  if (lines.some((l) => TERMINAL_LEVEL.test(l) || /^Error:\s/.test(l))) {
    const found = fromTerminal(text);
    if (found.length > 0) return found;
  }
  const at = text.search(ERROR_START);
  if (at < 0) return [];
  return [message('bare', text.slice(at), 0, false)];
}
