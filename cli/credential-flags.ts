/**
 * skopeo 1.9.3's credential flags (cmd/skopeo/utils.go dockerImageFlags, imageOptions.newSystemContext,
 * parseCreds), with its conflict errors word for word, and the credential store they configure.
 * `--creds USER` without `:PASS` means an empty password, as in skopeo 1.9.3, which never prompts (podman
 * prompts at a terminal; pullpath runs unattended in CI and scripts, so it does not either).
 */
import { UsageError } from '../src/errors.ts';
import { CredentialStore, type CredentialOverride } from '../src/registry/credential-store.ts';

export const credentialFlagOptions = {
  creds: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  'no-creds': { type: 'boolean' },
} as const;

export const credentialFlagsHelp = `Credentials (as skopeo; the source of each attempt's credentials is reported, never the secret):
  --creds USER[:PASS]        use these for the image's own host (an empty PASS without ":PASS"; no prompt)
  --username U --password P  the same, as two flags
  --no-creds                 anonymous on the image's own host.
                             A mirror on another host never gets these: it uses its own auth file
                             entry or credential helper (credHelpers, registries.conf credential-helpers).`;

export interface CredentialFlagValues {
  creds?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  'no-creds'?: boolean | undefined;
}

/** The override the flags give, or null; UsageError with skopeo's text for the combinations it refuses. */
export function credentialOverrideFromFlags(v: CredentialFlagValues): CredentialOverride | null {
  const creds = v.creds !== undefined;
  const user = v.username !== undefined;
  const noCreds = v['no-creds'] === true;
  if (creds && noCreds) throw new UsageError('creds and no-creds cannot be specified at the same time');
  if (user && noCreds) throw new UsageError('username and no-creds cannot be specified at the same time');
  if (creds && user) throw new UsageError('creds and username cannot be specified at the same time');
  if (user !== (v.password !== undefined)) {
    throw new UsageError(user ? 'password must be specified when username is specified' : 'username must be specified when password is specified');
  }
  if (noCreds) return { kind: 'no-creds' };
  if (creds) {
    const c = v.creds!;
    if (c === '') throw new UsageError("credentials can't be empty");
    const i = c.indexOf(':');
    if (i < 0) return { kind: 'flag', flag: '--creds', username: c, password: '' };
    if (i === 0) throw new UsageError("username can't be empty");
    return { kind: 'flag', flag: '--creds', username: c.slice(0, i), password: c.slice(i + 1) };
  }
  if (user) return { kind: 'flag', flag: '--username', username: v.username!, password: v.password! };
  return null;
}

/** The run's credential store: auth files (--authfile first), registries.conf credential-helpers, the flags. */
export function credentialStoreFromFlags(v: CredentialFlagValues & { authfile?: string | undefined }, helpers?: string[]): Promise<CredentialStore> {
  const override = credentialOverrideFromFlags(v);
  return CredentialStore.load({
    ...(v.authfile !== undefined ? { authFile: v.authfile } : {}),
    ...(helpers ? { helpers } : {}),
    ...(override ? { override } : {}),
  });
}
