/**
 * The runtime's final error for one reference (docker_image_src.go newImageSource): one attempt → its error
 * unchanged; several → `(Mirrors also failed: [REF: ERR]\n[REF: ERR]): PRIMARYREF: PRIMARYERR`, mirror
 * entries joined by a real newline, the primary (the last attempt) outside the brackets.
 */
export interface FailedAttempt {
  reference: string;
  error: string;
}

export function sourcesFailedError(attempts: readonly FailedAttempt[]): string {
  if (attempts.length === 0) return 'Internal error: newImageSource returned without trying any endpoint';
  if (attempts.length === 1) return attempts[0]!.error;
  const primary = attempts[attempts.length - 1]!;
  const mirrors = attempts.slice(0, -1).map((a) => `[${a.reference}: ${a.error}]`);
  return `(Mirrors also failed: ${mirrors.join('\n')}): ${primary.reference}: ${primary.error}`;
}

/** podman's (libimage) error when every short-name candidate failed: one → as is, several → a list. */
export function candidatesFailedError(errors: readonly string[]): string {
  if (errors.length === 1) return errors[0]!;
  return `${errors.length} errors occurred while pulling:\n${errors.map((e) => ` * ${e}`).join('\n')}`;
}
