/**
 * One error base with stable codes. Callers match on `code`, never on message text.
 * Messages are written for the user: what is wrong, where (file, line, key), and what to do.
 */
export class PullpathError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A configuration file that cannot be loaded or fails validation. */
export class ConfigError extends PullpathError {
  readonly file: string | undefined;
  readonly line: number | undefined;
  constructor(message: string, where: { file?: string; line?: number; code?: string } = {}) {
    super(where.code ?? 'PP_ERR_CONFIG', message);
    this.file = where.file;
    this.line = where.line;
  }
}

/** Bad command-line usage: unknown flag, missing argument. Exit code 2. */
export class UsageError extends PullpathError {
  constructor(message: string) {
    super('PP_ERR_USAGE', message);
  }
}
