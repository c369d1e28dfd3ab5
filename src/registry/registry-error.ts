import { PullpathError } from '../errors.ts';
import type { ErrorClass } from './error-class.ts';

/**
 * A failed registry operation. `message` is the runtime's wording (already redacted), e.g.
 * `pinging container registry h: Get "https://h/v2/": dial tcp 127.0.0.1:5000: connect: connection refused`.
 */
export class RegistryError extends PullpathError {
  readonly errorClass: ErrorClass;
  readonly httpStatus: number | null;
  /** Human notes that are not part of the runtime's wording (e.g. "the runtime would wait forever here"). */
  readonly detail: string | undefined;
  constructor(message: string, errorClass: ErrorClass, httpStatus: number | null = null, detail?: string) {
    // No stack trace: a RegistryError is a value (the runtime's words, shown as they are), never a bug report, and
    // capturing the async stack cost more CPU than anything else a failed attempt does (several per refused mirror).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super('PP_ERR_REGISTRY', message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.errorClass = errorClass;
    this.httpStatus = httpStatus;
    this.detail = detail;
  }
}
