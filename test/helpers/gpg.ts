/**
 * Real GnuPG for integration tests: a throw-away GNUPGHOME (no passphrase) with generated keys, used by
 * skopeo (`--sign-by`, `standalone-sign`, which go through gpgme and so read GNUPGHOME).
 * With CI=true a missing gpg is a failure (`gpgSkipReason()` throws); otherwise tests skip with the reason.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export const GPG_BIN = process.env.PULLPATH_GPG ?? '/usr/bin/gpg';

export function gpgSkipReason(): string | null {
  if (existsSync(GPG_BIN)) return null;
  const reason = `${GPG_BIN} not found (apt-get install -y gnupg)`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}: the GPG oracle must run under CI`);
  return reason;
}

function exec(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env, encoding: 'buffer', maxBuffer: 16 << 20, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${bin} ${args.join(' ')}: ${err.message}\n${stderr.toString()}`));
      resolve({ stdout, stderr: stderr.toString() });
    });
  });
}

export interface GpgHome {
  home: string;
  /** env with GNUPGHOME set (and HOME, so nothing reads the user's ~/.gnupg). */
  env: NodeJS.ProcessEnv;
  /** Generates an ed25519 signing key without passphrase; returns its primary fingerprint (upper-case hex). */
  genKey(uid: string): Promise<string>;
  /** A certify-only primary key with an ed25519 signing SUBKEY (gpg then signs with the subkey); returns the primary fingerprint. */
  genKeyWithSigningSubkey(uid: string): Promise<string>;
  /** The public key, binary (what a policy's keyPath points at). */
  exportKey(fpr: string): Promise<Buffer>;
  /** Stops the gpg-agent that signing started for this home (call before removing the directory). */
  stopAgent(): Promise<void>;
}

export async function createGpgHome(dir: string, baseEnv: NodeJS.ProcessEnv): Promise<GpgHome> {
  const home = join(dir, 'gnupg');
  await mkdir(home, { mode: 0o700, recursive: true });
  const env = { ...baseEnv, GNUPGHOME: home };
  return {
    home,
    env,
    async genKey(uid) {
      await exec(GPG_BIN, ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', uid, 'ed25519', 'sign', 'never'], env);
      const list = (await exec(GPG_BIN, ['--batch', '--with-colons', '--list-keys', uid], env)).stdout.toString();
      const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(list);
      if (!fpr) throw new Error(`no fingerprint for ${uid} in:\n${list}`);
      return fpr[1]!;
    },
    async genKeyWithSigningSubkey(uid) {
      await exec(GPG_BIN, ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', uid, 'ed25519', 'cert', 'never'], env);
      const list = (await exec(GPG_BIN, ['--batch', '--with-colons', '--list-keys', uid], env)).stdout.toString();
      const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(list)![1]!;
      await exec(GPG_BIN, ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-add-key', fpr, 'ed25519', 'sign', 'never'], env);
      return fpr;
    },
    async exportKey(fpr) {
      return (await exec(GPG_BIN, ['--batch', '--export', fpr], env)).stdout;
    },
    async stopAgent() {
      await exec('gpgconf', ['--kill', 'gpg-agent'], env).catch(() => {});
    },
  };
}
