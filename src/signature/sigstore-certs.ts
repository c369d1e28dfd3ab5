/**
 * Certificates for sigstoreSigned's `fulcio` and `pki` roots of trust, checked as containers/image does
 * (current main; v5.23 has neither): signature/fulcio_cert.go (verifyFulcioCertificateAtTime,
 * fulcioIssuerInCertificate) and signature/pki_cert.go (verifyPKI), which lean on Go's x509.Certificate.Verify
 * with ExtKeyUsageCodeSigning. The chain walk below does what Verify does for these inputs: signatures with
 * Node's crypto (X509Certificate.verify), names (checkIssued), validity at the relevant time, CA basic
 * constraints, extended key usage; Go's error texts. Parsing and extensions: @peculiar/x509.
 */
import { X509Certificate as NodeCert, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { invalid, untrusted } from './sigstore-errors.ts';

/** Fulcio's OIDC issuer extensions (sigstore/fulcio pkg/certificate): v1 holds raw bytes, v2 a DER string. */
export const OID_FULCIO_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
export const OID_FULCIO_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const OID_CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const OID_ANY_EKU = '2.5.29.37.0';

export interface ParsedCert {
  node: NodeCert;
  px: x509.X509Certificate;
}

/** cryptoutils.UnmarshalCertificatesFromPEM: every block must be a certificate ("error during PEM decoding"). */
export function certificatesFromPem(bytes: Uint8Array | string): ParsedCert[] {
  const text = (typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('latin1')).trim();
  const out: ParsedCert[] = [];
  const re = /-----BEGIN ([^-\r\n]*)-----\r?\n([\s\S]*?)-----END \1-----[ \t]*(?:\r?\n|$)/y;
  let i = 0;
  while (i < text.length) {
    // pem.Decode skips text before a block.
    const start = text.indexOf('-----BEGIN ', i);
    if (start < 0) throw new Error('error during PEM decoding');
    re.lastIndex = start;
    const m = re.exec(text);
    if (!m) throw new Error('error during PEM decoding');
    const der = Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64');
    try {
      out.push({ node: new NodeCert(der), px: new x509.X509Certificate(der) });
    } catch (e) {
      throw new Error(`x509: malformed certificate (${(e as Error).message})`);
    }
    i = re.lastIndex;
    while (i < text.length && /\s/.test(text[i]!)) i++;
  }
  return out;
}

/** parseLeafCertFromPEM (fulcio_cert.go): exactly one certificate. */
export function parseLeafCertFromPem(bytes: Uint8Array | string): ParsedCert {
  let certs: ParsedCert[];
  try {
    certs = certificatesFromPem(bytes);
  } catch (e) {
    throw invalid(`parsing leaf certificate: ${(e as Error).message}`);
  }
  if (certs.length === 0) throw invalid('no certificate found in signature certificate data');
  if (certs.length > 1) throw invalid('unexpected multiple certificates present in signature certificate data');
  return certs[0]!;
}

/** The untrusted chain annotation: all but its last certificate (the root, which must come from the policy) are intermediates. */
export function untrustedIntermediates(chainPem: Uint8Array | undefined): ParsedCert[] {
  if (!chainPem || chainPem.length === 0) return [];
  let chain: ParsedCert[];
  try {
    chain = certificatesFromPem(chainPem);
  } catch (e) {
    throw invalid(`loading certificate chain: ${(e as Error).message}`);
  }
  return chain.length > 1 ? chain.slice(0, -1) : [];
}

/** Go's time.Time.Format(time.RFC3339) in UTC. */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** x509.Certificate.isValid's time check: CertificateInvalidError{Expired}. */
function timeError(c: ParsedCert, at: Date): string | null {
  if (at < c.px.notBefore) return `x509: certificate has expired or is not yet valid: current time ${rfc3339(at)} is before ${rfc3339(c.px.notBefore)}`;
  if (at > c.px.notAfter) return `x509: certificate has expired or is not yet valid: current time ${rfc3339(at)} is after ${rfc3339(c.px.notAfter)}`;
  return null;
}

function ekus(c: ParsedCert): string[] | null {
  const ext = c.px.getExtension(x509.ExtendedKeyUsageExtension);
  return ext ? ext.usages.map(String) : null;
}

function isCa(c: ParsedCert): boolean {
  return c.px.getExtension(x509.BasicConstraintsExtension)?.ca === true;
}

/**
 * x509.Certificate.Verify with Roots, Intermediates, CurrentTime and KeyUsages [CodeSigning]: the leaf and
 * every certificate of some chain to a root must be valid at `at`, each signed by the next, issuers CAs, and
 * every EKU list in the chain must allow code signing. Returns Go's error text, or null.
 */
export function verifyChain(leaf: ParsedCert, roots: ParsedCert[], intermediates: ParsedCert[], at: Date): string | null {
  const leafTime = timeError(leaf, at);
  if (leafTime) return leafTime;
  let lastError: string | null = null;
  const chains: ParsedCert[][] = [];
  const walk = (chain: ParsedCert[], depth: number): void => {
    const cert = chain[chain.length - 1]!;
    for (const [cand, isRoot] of [...roots.map((r) => [r, true] as const), ...intermediates.map((r) => [r, false] as const)]) {
      if (chain.includes(cand)) continue;
      if (!cert.node.checkIssued(cand.node)) continue;
      if (!cert.node.verify(cand.node.publicKey)) continue;
      if (!isCa(cand)) continue;
      const t = timeError(cand, at);
      if (t) {
        lastError ??= t;
        continue;
      }
      if (isRoot) chains.push([...chain, cand]);
      else if (depth < 10) walk([...chain, cand], depth + 1);
    }
  };
  walk([leaf], 0);
  if (chains.length === 0) return lastError ?? 'x509: certificate signed by unknown authority';
  const usable = chains.some((chain) =>
    chain.every((c) => {
      const u = ekus(c);
      return u === null || u.length === 0 || u.includes(OID_CODE_SIGNING) || u.includes(OID_ANY_EKU);
    }),
  );
  return usable ? null : 'x509: certificate specifies an incompatible key usage';
}

/** A DER string (UTF8String, PrintableString, IA5String), as Go's asn1.Unmarshal into a string; null if malformed. */
function derString(bytes: Uint8Array): { value: string; trailing: boolean } | null {
  if (bytes.length < 2 || ![0x0c, 0x13, 0x16].includes(bytes[0]!)) return null;
  let len = bytes[1]!;
  let off = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || bytes.length < 2 + n) return null;
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + bytes[2 + k]!;
    off = 2 + n;
  }
  if (bytes.length < off + len) return null;
  return { value: Buffer.from(bytes.subarray(off, off + len)).toString('utf8'), trailing: bytes.length > off + len };
}

/** fulcioIssuerInCertificate: v1 and/or v2 issuer extension; both present must agree. */
export function fulcioIssuerInCertificate(c: ParsedCert): string {
  let v1: string | null = null;
  let v2: string | null = null;
  for (const ext of c.px.extensions) {
    if (ext.type === OID_FULCIO_ISSUER_V1) v1 = Buffer.from(ext.value).toString('utf8');
    else if (ext.type === OID_FULCIO_ISSUER_V2) {
      const s = derString(new Uint8Array(ext.value));
      if (!s) throw invalid('invalid ASN.1 in OIDC issuer v2 extension: asn1: structure error');
      if (s.trailing) throw invalid('invalid ASN.1 in OIDC issuer v2 extension, trailing data');
      v2 = s.value;
    }
  }
  if (v1 !== null && v2 !== null) {
    if (v1 !== v2) throw invalid(`inconsistent OIDC issuer extension values: v1 ${JSON.stringify(v1)}, v2 ${JSON.stringify(v2)}`);
    return v1;
  }
  if (v1 !== null) return v1;
  if (v2 !== null) return v2;
  throw invalid('Fulcio certificate is missing the issuer extension');
}

/** The certificate's SAN email addresses (Go's x509.Certificate.EmailAddresses). */
export function emailAddresses(c: ParsedCert): string[] {
  const san = c.px.getExtension(x509.SubjectAlternativeNameExtension);
  return san ? san.names.items.filter((n) => n.type === 'email').map((n) => n.value) : [];
}

function dnsNames(c: ParsedCert): string[] {
  const san = c.px.getExtension(x509.SubjectAlternativeNameExtension);
  return san ? san.names.items.filter((n) => n.type === 'dns').map((n) => n.value) : [];
}

/** Go's %q of a []string: `["a" "b"]`. */
export function goQuotedList(xs: string[]): string {
  return `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
}

export interface FulcioRoot {
  cas: ParsedCert[];
  oidcIssuer: string;
  subjectEmail: string;
}

/** verifyFulcioCertificateAtTime: chain to the Fulcio CA at the Rekor integrated time, issuer, then email. */
export function verifyFulcioCertificate(root: FulcioRoot, at: Date, certPem: Uint8Array, chainPem: Uint8Array | undefined): KeyObject {
  const intermediates = untrustedIntermediates(chainPem);
  const leaf = parseLeafCertFromPem(certPem);
  const chainErr = verifyChain(leaf, root.cas, intermediates, at);
  if (chainErr) throw untrusted(`veryfing leaf certificate failed: ${chainErr}`); // sic, upstream spelling
  const issuer = fulcioIssuerInCertificate(leaf);
  if (issuer !== root.oidcIssuer) throw untrusted(`Unexpected Fulcio OIDC issuer ${JSON.stringify(issuer)}`);
  const emails = emailAddresses(leaf);
  if (!emails.includes(root.subjectEmail)) throw untrusted(`Required email ${JSON.stringify(root.subjectEmail)} not found (got ${goQuotedList(emails)})`);
  return leaf.node.publicKey;
}

export interface PkiRoot {
  roots: ParsedCert[];
  intermediates: ParsedCert[];
  subjectEmail: string;
  subjectHostname: string;
}

/** Go's Certificate.VerifyHostname error text (DNS names only; the common name is ignored since Go 1.15). */
function hostnameError(c: ParsedCert, host: string): string | null {
  if (c.node.checkHost(host, { subject: 'never' }) !== undefined) return null;
  const names = dnsNames(c);
  if (names.length === 0) return `x509: certificate is not valid for any names, but wanted to match ${host}`;
  return `x509: certificate is valid for ${names.join(', ')}, not ${host}`;
}

/** verifyPKI (pki_cert.go): chain to the roots now (no CurrentTime), then email and/or hostname. */
export function verifyPkiCertificate(root: PkiRoot, now: Date, certPem: Uint8Array, chainPem: Uint8Array | undefined): KeyObject {
  const intermediates = [...root.intermediates, ...untrustedIntermediates(chainPem)];
  const leaf = parseLeafCertFromPem(certPem);
  const chainErr = verifyChain(leaf, root.roots, intermediates, now);
  if (chainErr) throw untrusted(`veryfing leaf certificate failed: ${chainErr}`);
  if (root.subjectEmail !== '') {
    const emails = emailAddresses(leaf);
    if (!emails.includes(root.subjectEmail)) throw untrusted(`Required email ${JSON.stringify(root.subjectEmail)} not found (got ${goQuotedList(emails)})`);
  }
  if (root.subjectHostname !== '') {
    const e = hostnameError(leaf, root.subjectHostname);
    if (e) throw untrusted(`Unexpected subject hostname: ${e}`);
  }
  return leaf.node.publicKey;
}
