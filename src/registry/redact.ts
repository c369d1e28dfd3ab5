/**
 * Secrets never reach output: URLs lose their userinfo and secret-looking query values, and a Redactor
 * remembers every password, token and `auth` value the client handled and masks them in any text
 * (error messages from servers can echo what we sent).
 */
const SECRET_PARAMS = /^(token|access_token|refresh_token|password|passwd|secret|signature|x-amz-signature|x-amz-credential|x-amz-security-token|sig|auth)$/i;

/** `https://user:pw@h/p?token=x&scope=s` → `https://h/p?token=REDACTED&scope=s`. Leaves non-URLs unchanged. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  u.username = '';
  u.password = '';
  for (const key of [...u.searchParams.keys()]) {
    if (SECRET_PARAMS.test(key)) u.searchParams.set(key, 'REDACTED');
  }
  return u.toString();
}

export class Redactor {
  private readonly secrets = new Set<string>();

  /**
   * Remembers a secret (and its base64 forms, which is how Basic auth carries it). A very short value alone
   * (under 4 characters) is not masked everywhere it appears, which would shred ordinary text; `addBasic`
   * still masks it inside `user:password`, the form servers echo.
   */
  add(secret: string | undefined | null): void {
    if (!secret || secret.length < 4) return;
    this.secrets.add(secret);
    this.secrets.add(Buffer.from(secret).toString('base64'));
    this.secrets.add(Buffer.from(secret).toString('base64').replace(/=+$/, ''));
  }

  addBasic(username: string, password: string): void {
    this.add(password);
    if (password) this.secrets.add(`${username}:${password}`);
    const basic = Buffer.from(`${username}:${password}`).toString('base64');
    this.secrets.add(basic);
    this.secrets.add(basic.replace(/=+$/, ''));
  }

  /** Masks every remembered secret in `text`. */
  text(text: string): string;
  text(text: string | null): string | null;
  text(text: string | null): string | null {
    if (text === null) return null;
    let out = text;
    // Longest first, so a padded base64 form is masked whole before its unpadded prefix.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) if (out.includes(s)) out = out.split(s).join('REDACTED');
    return out;
  }
}
