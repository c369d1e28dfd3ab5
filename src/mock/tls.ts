/**
 * TLS for mock registries: a throwaway CA and a server certificate generated at start with @peculiar/x509
 * (WebCrypto, ECDSA P-256), and a containers-certs.d(5)-style folder so pull clients can trust it:
 * `DIR/<host[:port]>/ca.crt`.
 */
import { webcrypto } from 'node:crypto';
import { mkdir, writeFile } from '../fs-async.ts';
import { join } from 'node:path';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface MockCa {
  certPem: string;
  /** Kept in memory only; used to sign server certificates. */
  keys: CryptoKeyPair;
  cert: x509.X509Certificate;
}

export interface ServerCert {
  certPem: string;
  keyPem: string;
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(12))).toString('hex').replace(/^[89a-f]/, '1');
}

async function pkcs8Pem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key ));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
}

/** A self-signed CA valid for a day (backdated an hour for clock skew). */
export async function createMockCa(name = 'pullpath mock registry CA'): Promise<MockCa> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}`,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 86400_000),
    signingAlgorithm: SIGN,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keys, cert };
}

/** A server certificate for these names (host names and IP addresses; ports are stripped), signed by `ca`. */
export async function createServerCert(ca: MockCa, names: string[]): Promise<ServerCert> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const hosts = [...new Set(names.map(stripPort))];
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${hosts[0] ?? 'localhost'}`,
    issuer: ca.cert.subject,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 86400_000),
    signingAlgorithm: SIGN,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(hosts.map((h) => (isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h }))),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await pkcs8Pem(keys.privateKey) };
}

/** `mirror.example.com:5000` → `mirror.example.com`; `[::1]:5000` → `::1`. */
export function stripPort(host: string): string {
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (v6 !== null) return v6[1]!;
  if (isIP(host) === 6) return host;
  return host.replace(/:\d+$/, '');
}

/** Write `DIR/<name>/ca.crt` for each name (as certs.d expects: `host` or `host:port`). Returns the paths. */
export async function writeCertsDir(dir: string, names: string[], caPem: string): Promise<string[]> {
  const paths: string[] = [];
  for (const name of new Set(names)) {
    const sub = join(dir, name);
    await mkdir(sub, { recursive: true });
    const p = join(sub, 'ca.crt');
    await writeFile(p, caPem);
    paths.push(p);
  }
  return paths;
}
