/**
 * `parseLocation` (system_registries_v2.go): trims every trailing `/` and refuses `http://` / `https://`.
 * Nothing else is validated here, so `docker://x`, `HTTP://x`, `a@b` and `""` all pass, as upstream.
 */

/** Returns the trimmed location, or the runtime's error text. The message quotes the untrimmed input. */
export function parseLocation(input: string): { ok: true; value: string } | { ok: false; error: string } {
  let end = input.length;
  while (end > 0 && input.charCodeAt(end - 1) === 0x2f /* '/' */) end--;
  const trimmed = input.slice(0, end);
  if (trimmed.startsWith('http://') || trimmed.startsWith('https://')) {
    return { ok: false, error: `invalid location '${input}': URI schemes are not supported` };
  }
  return { ok: true, value: trimmed };
}

