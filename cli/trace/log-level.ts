/**
 * `--log-level error|warn|info|debug` and `--debug` (= `--log-level debug`), as skopeo has them. At debug,
 * the commands that touch the network write the runtime's own debug lines and an HTTP trace to stderr.
 */
import { UsageError } from '../../src/errors.ts';
import { closest } from '../../src/did-you-mean.ts';
import { goQuote } from '../../src/go-quote.ts';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

export const logFlagOptions = {
  'log-level': { type: 'string' },
  debug: { type: 'boolean' },
} as const;

export const logFlagsHelp = `Logging:
  --log-level LEVEL          error, warn (default), info or debug. debug writes to stderr what skopeo
                             --debug writes (Trying to access "REF", Accessing "REF" failed: ERR) and
                             an HTTP trace: method, URL, status, the headers that matter and timings;
                             credentials are never shown (Authorization, tokens, auth.json)
  --debug                    same as --log-level debug (and plain text, no TUI)`;

export function parseLogLevel(values: { 'log-level'?: string | undefined; debug?: boolean | undefined }): LogLevel {
  if (values.debug === true) return 'debug';
  const v = values['log-level'];
  if (v === undefined) return 'warn';
  const level = v.toLowerCase();
  if ((LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  const near = closest(level, LEVELS);
  throw new UsageError(`--log-level: expected one of ${LEVELS.join(', ')}, got "${v}"${near ? `; did you mean ${near}?` : ''}`);
}

/** A logrus text-format line, as skopeo writes them: `level=debug msg="…"` (msg quoted as Go quotes). */
export function logLine(level: LogLevel, msg: string): string {
  return `level=${level} msg=${goQuote(msg)}\n`;
}

