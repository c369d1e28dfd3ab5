/**
 * A registries.conf load error: the runtime's own wording plus where we found the problem.
 *
 * `runtimeMessage` is exactly what containers/image says (`loading registries configuration "F": invalid
 * condition: …`), so users can search for it and the conformance suite can compare it. `message` adds the line
 * when we know it, because the runtime never says which `[[registry]]` was wrong.
 */
import { ConfigError } from '../errors.ts';

export class RegistriesConfError extends ConfigError {
  /** The text containers/image would print, without our line suffix. */
  readonly runtimeMessage: string;
  constructor(runtimeMessage: string, where: { file?: string; line?: number; code?: string } = {}) {
    super(runtimeMessage + (where.file !== undefined && where.line !== undefined ? ` (${where.file}:${where.line})` : ''), where);
    this.runtimeMessage = runtimeMessage;
  }
}

/** The runtime's wording of any error the config loader throws (ConfigError, RegistriesConfError or other). */
export function runtimeErrorText(err: unknown): string {
  if (err instanceof RegistriesConfError) return err.runtimeMessage;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Re-throws `err` with the runtime's file wrapper (`loading registries configuration "F": …`) in front. */
export function wrapLoadError(err: unknown, prefix: string, file: string): RegistriesConfError {
  if (err instanceof RegistriesConfError) {
    return new RegistriesConfError(prefix + err.runtimeMessage, { file: err.file ?? file, line: err.line, code: err.code });
  }
  if (err instanceof ConfigError) {
    return new RegistriesConfError(prefix + err.message, { file: err.file ?? file, line: err.line, code: err.code });
  }
  throw err;
}
