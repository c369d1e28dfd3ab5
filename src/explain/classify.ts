/**
 * One source's error, as containers/image words it (and as pullpath's engine words it: src/registry/
 * network-error.ts, http-error.ts, token-auth.ts, client.ts), read back into the engine's terms: the step
 * that failed, the error class (src/registry/error-class.ts) and the HTTP status the words imply.
 *
 * Whitespace is matched loosely (`\s*` where a word boundary may have been lost to line wrapping), so a
 * pasted event that lost a space at a wrap still classifies.
 */
import type { ErrorClass } from '../registry/error-class.ts';
import type { StepName } from '../registry/step.ts';

export interface Classified {
  step: StepName | null;
  errorClass: ErrorClass;
  httpStatus: number | null;
  /** The registry host the text names (`pinging container registry H`, `reading manifest T in H/…`). */
  host: string | null;
  /** The repository and tag/digest the text names (`reading manifest T in NAME` → `NAME:T`), or null. */
  reference: string | null;
  /** For `blocked`: the prefix of the entry that blocks it, and the files the runtime names. */
  blockedPrefix?: string;
  blockedIn?: string;
}

/** Status → class, as the engine's classifyStatus does. */
function classOfStatus(status: number): ErrorClass {
  if (status === 401) return 'unauthorized';
  if (status === 407) return 'proxy';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server-error';
  return 'http-error';
}

/** Network and TLS wordings (Go's net/http, as network-error.ts reproduces them). */
const NETWORK: [RegExp, ErrorClass][] = [
  // Before `refused`: a refused *proxy* reads `proxyconnect tcp: dial tcp …: connection refused`.
  [/proxyconnect\s*tcp|Proxy\s*Authentication\s*Required|socks\s*connect\s*tcp|refusing\s*to\s*use\s*HTTP_PROXY/, 'proxy'],
  [/connection\s*refused|no\s*route\s*to\s*host|network\s*is\s*unreachable/, 'refused'],
  [/no\s*such\s*host|temporary\s*failure\s*in\s*name\s*resolution|server\s*misbehaving|lookup\s+\S+(\s+on\s+\S+)?:\s*(i\/o\s*timeout|read)/, 'dns'],
  [/server\s*gave\s*HTTP\s*response\s*to\s*HTTPS\s*client/, 'http-to-https'],
  [/x509:|tls:\s|remote\s*error:\s*tls|certificate/, 'tls'],
  [/context\s*deadline\s*exceeded|i\/o\s*timeout|TLS\s*handshake\s*timeout|timeout\s*awaiting\s*response\s*headers|Client\.Timeout\s*exceeded/, 'timeout'],
  [/context\s*canceled/, 'cancelled'],
  [/response\s*headers\s*exceeded|exceeded\s*maximum\s*allowed\s*size/, 'too-large'],
  [/malformed\s*HTTP\s*(response|status)/, 'not-a-registry'],
  [/connection\s*reset\s*by\s*peer|broken\s*pipe|:\s*EOF\s*$|unexpected\s*EOF/, 'reset'],
];

function networkClass(inner: string): ErrorClass | null {
  for (const [re, cls] of NETWORK) if (re.test(inner)) return cls;
  return null;
}

/**
 * A registry's error body as the runtime renders it (registryHTTPResponseToError): errcode words, or
 * `StatusCode: N, "…"`, or `received unexpected HTTP status: N Text`, or a status line from a ping.
 */
function responseClass(inner: string): { errorClass: ErrorClass; httpStatus: number | null } | null {
  let m = /invalid\s*status\s*code\s*from\s*registry\s*(\d{3})/.exec(inner);
  if (m) return { errorClass: classOfStatus(Number(m[1])), httpStatus: Number(m[1]) };
  m = /received\s*unexpected\s*HTTP\s*status:\s*(\d{3})/.exec(inner);
  if (m) return { errorClass: classOfStatus(Number(m[1])), httpStatus: Number(m[1]) };
  m = /StatusCode:\s*(\d{3})/.exec(inner);
  if (m) return { errorClass: classOfStatus(Number(m[1])), httpStatus: Number(m[1]) };
  if (/too\s*many\s*requests|toomanyrequests/i.test(inner)) return { errorClass: 'rate-limited', httpStatus: 429 };
  if (/manifest\s*unknown|name\s*unknown|blob\s*unknown|repository\s*name\s*not\s*known|not\s*found/i.test(inner)) return { errorClass: 'not-found', httpStatus: 404 };
  // Docker Hub answers a missing or private repository with 401 and both `denied` and `unauthorized`.
  if (/unauthorized|authentication\s*required|invalid\s*username\/password/i.test(inner)) return { errorClass: 'unauthorized', httpStatus: 401 };
  if (/denied/i.test(inner)) return { errorClass: 'forbidden', httpStatus: 403 };
  if (/unknown\s*error|unsupported|manifest\s*invalid|name\s*invalid|tag\s*invalid/i.test(inner)) return { errorClass: 'http-error', httpStatus: null };
  return null;
}

const HOST = String.raw`((?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::\d+)?)`;
const NAME = String.raw`((?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::\d+)?(?:/[a-z0-9._/-]+)?)`;

export function classifyAttemptError(error: string): Classified {
  const text = error.trim();
  let m: RegExpExecArray | null;

  m = /^registry\s+(\S+)\s+is\s*blocked\s+in\s+([\s\S]*)$/.exec(text);
  if (m) return { step: null, errorClass: 'blocked', httpStatus: null, host: m[1]!.split('/')[0]!, reference: null, blockedPrefix: m[1]!, blockedIn: m[2]!.trim() };

  m = new RegExp(String.raw`^pinging\s*container\s*registry\s+${HOST}:\s*([\s\S]*)$`).exec(text);
  if (m) {
    const inner = m[2]!;
    if (/too\s*many\s*requests\s*to\s*registry/.test(inner)) return { step: 'ping', errorClass: 'rate-limited', httpStatus: 429, host: m[1]!, reference: null };
    const r = /invalid\s*status\s*code\s*from\s*registry/.test(inner) ? responseClass(inner) : null;
    if (r) return { step: 'ping', ...r, host: m[1]!, reference: null };
    return { step: 'ping', errorClass: networkClass(inner) ?? 'other', httpStatus: null, host: m[1]!, reference: null };
  }

  m = new RegExp(String.raw`^reading\s*manifest\s+(\S+)\s+in\s+${NAME}:\s*([\s\S]*)$`).exec(text);
  if (m) {
    const tagOrDigest = m[1]!;
    const name = m[2]!;
    const inner = m[3]!;
    const reference = `${name}${tagOrDigest.includes(':') ? '@' : ':'}${tagOrDigest}`;
    const host = name.split('/')[0]!;
    if (/^\s*(Get|Head)\s+"/.test(inner)) return { step: 'manifest', errorClass: networkClass(inner) ?? 'other', httpStatus: null, host, reference };
    const r = responseClass(inner);
    return { step: 'manifest', errorClass: r?.errorClass ?? 'other', httpStatus: r?.httpStatus ?? null, host, reference };
  }

  // The token endpoint (token-auth.ts): `unable to retrieve auth token: invalid username/password: …`.
  if (/^unable\s*to\s*retrieve\s*auth\s*token/.test(text)) {
    if (/invalid\s*username\/password/.test(text)) return { step: 'auth', errorClass: 'unauthorized', httpStatus: 401, host: null, reference: null };
    const r = responseClass(text);
    return { step: 'auth', errorClass: networkClass(text) ?? r?.errorClass ?? 'unauthorized', httpStatus: r?.httpStatus ?? null, host: null, reference: null };
  }
  // newDockerClientFromRef: the credential lookup failed (a credential helper, an auth file entry) before any request.
  if (/^getting\s*username\s*and\s*password/.test(text)) return { step: 'auth', errorClass: 'credentials', httpStatus: null, host: null, reference: null };
  if (/^missing\s*realm\s*in\s*bearer/.test(text)) {
    return { step: 'auth', errorClass: 'unauthorized', httpStatus: null, host: null, reference: null };
  }
  if (/^(decoding\s*bearer\s*token|fetching\s*token|Post\s+")/.test(text) && /token/.test(text)) {
    const r = responseClass(text);
    return { step: 'auth', errorClass: networkClass(text) ?? r?.errorClass ?? 'other', httpStatus: r?.httpStatus ?? null, host: null, reference: null };
  }

  // A manifest GET's transport error is bare in ≤ 5.39 (`Get "URL": …`); v5.40 wraps it as `fetching manifest`.
  m = /^(?:fetching\s*manifest\s+\S+\s+in\s+\S+:\s*)?(Get|Head)\s+"(\w+):\/\/([^/"]+)\/v2\/([^"]*)"\s*:\s*([\s\S]*)$/.exec(text);
  if (m) {
    const path = m[4]!;
    const manifest = /^(.*)\/manifests\/([^/]+)$/.exec(path);
    const blob = /\/blobs\//.test(path);
    const reference = manifest ? `${m[3]}/${manifest[1]}${manifest[2]!.includes(':') ? '@' : ':'}${manifest[2]}` : null;
    return { step: manifest ? 'manifest' : blob ? 'blobs' : 'ping', errorClass: networkClass(m[5]!) ?? 'other', httpStatus: null, host: m[3]!, reference };
  }

  // After a source was chosen (chosen-source.ts): these name no registry.
  if (/does\s*not\s*match\s*(provided|selected)\s*manifest\s*digest|Digest\s*did\s*not\s*match|digest\s*mismatch/i.test(text)) {
    return { step: 'manifest', errorClass: 'digest-mismatch', httpStatus: null, host: null, reference: null };
  }
  m = /^(?:reading\s*blob\s+(\S+?)|parsing\s*image\s*configuration|Error\s*fetching\s*blob):\s*([\s\S]*)$/.exec(text);
  if (m) {
    const inner = m[2]!;
    const r = responseClass(inner);
    return { step: 'blobs', errorClass: networkClass(inner) ?? r?.errorClass ?? 'other', httpStatus: r?.httpStatus ?? null, host: null, reference: null };
  }
  if (/blobs?\s*missing\s*in/.test(text)) return { step: 'blobs', errorClass: 'not-found', httpStatus: null, host: null, reference: null };
  if (/no\s*image\s*found\s*in\s*(image\s*index|manifest\s*list)/.test(text)) return { step: 'manifest', errorClass: 'not-found', httpStatus: null, host: null, reference: null };
  if (/^Source\s*image\s*rejected|policy\s*requirements|is\s*not\s*allowed\s*by\s*policy|rejected\s*by\s*policy/i.test(text)) {
    return { step: null, errorClass: 'policy', httpStatus: null, host: null, reference: null };
  }
  if (/exceeded\s*maximum\s*allowed\s*size/.test(text)) return { step: 'manifest', errorClass: 'too-large', httpStatus: 200, host: null, reference: null };

  // Before any endpoint: configuration, rewriting, references, short names.
  if (
    /^(loading\s*registries|rewriting\s*reference|invalid\s*reference\s*format|Docker\s*references\s*with\s*both|invalid\s*repository\s*name|repository\s*name\s*must|short-name|reading\s*images\s*from\s*docker|Internal\s*error|registry\s*'[^']*'\s*is\s*defined|invalid\s*(condition|location|short-name))/.test(text) ||
    /short-name\s*resolution\s*enforced|ambiguous\s*short\s*name|(is\s*)?not\s*a\s*fully\s*qualified|no\s*unqualified-search-registries|missing\s*(key|client\s*certificate)/.test(text)
  ) {
    // certs.d setup errors (certs-d.ts) stop the attempt before any request: the engine calls them tls.
    if (/missing\s*(key|client\s*certificate)/.test(text)) return { step: 'ping', errorClass: 'tls', httpStatus: null, host: null, reference: null };
    return { step: null, errorClass: 'config', httpStatus: null, host: null, reference: null };
  }
  const net = networkClass(text);
  if (net) return { step: null, errorClass: net, httpStatus: null, host: null, reference: null };
  const r = responseClass(text);
  return { step: null, errorClass: r?.errorClass ?? 'other', httpStatus: r?.httpStatus ?? null, host: null, reference: null };
}
