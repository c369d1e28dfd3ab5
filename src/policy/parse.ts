/**
 * Strict policy.json parsing, as containers/image `NewPolicyFromBytes` does: unknown or duplicate keys are
 * errors, every requirement list must be non-empty, requirement fields are checked per type, and scopes
 * of transports that validate them (`atomic`, `docker-daemon`) are checked too — an invalid scope makes
 * the whole file unusable (`Unknown key "<scope>"`), which is how one bad MCO entry breaks every pull.
 */
import { posix } from 'node:path';
import { ConfigError } from '../errors.ts';
import { parseNormalizedDockerRef } from './docker-reference.ts';
import { JsonSyntaxError, parseStrictJson, type JsonObject, type JsonValue } from './strict-json.ts';
import type { Policy, PolicyRequirement, PolicyTransportScopes, RequirementType } from './types.ts';

/** Thrown inside the parser; `key` is where in the document, for the user. */
class PolicyFormatError extends Error {
  constructor(
    message: string,
    readonly key: string,
  ) {
    super(message);
  }
}

/** containers/image `openshift_transport.go` scope regexp (the `atomic` transport). */
const ATOMIC_SCOPE = /^[^/]*(\/[^:/]*(\/[^:/]*(:[^:/]*)?)?)?$/;

/** Parses policy.json text; `file` is used in messages (`invalid policy in "<file>": …`). */
export function parsePolicy(text: string, file: string): Policy {
  let json: JsonValue;
  try {
    json = parseStrictJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) {
      throw new ConfigError(`invalid policy in ${JSON.stringify(file)}: ${err.message} (line ${err.line})`, {
        file,
        line: err.line,
        code: 'PP_ERR_POLICY',
      });
    }
    throw err;
  }
  try {
    return policyFromJson(json, file);
  } catch (err) {
    if (err instanceof PolicyFormatError) {
      throw new ConfigError(`invalid policy in ${JSON.stringify(file)}: ${err.message}${err.key ? ` (at ${err.key})` : ''}`, {
        file,
        code: 'PP_ERR_POLICY',
      });
    }
    throw err;
  }
}

function policyFromJson(json: JsonValue, file: string): Policy {
  const top = object(json, '');
  onlyKeys(top, ['default', 'transports'], '');
  if (top.default === undefined || top.default === null) throw new PolicyFormatError('Default policy is missing', '');
  const policy: Policy = { file, default: requirements(top.default, 'default'), transports: new Map() };
  if (top.transports !== undefined && top.transports !== null) {
    const transports = object(top.transports, 'transports');
    for (const [name, scopesJson] of Object.entries(transports)) {
      const at = `transports[${JSON.stringify(name)}]`;
      const scopes: PolicyTransportScopes = new Map();
      for (const [scope, reqs] of Object.entries(object(scopesJson, at))) {
        if (scope !== '' && !validScope(name, scope)) throw new PolicyFormatError(`Unknown key ${JSON.stringify(scope)}`, at);
        scopes.set(scope, requirements(reqs, `${at}[${JSON.stringify(scope)}]`));
      }
      policy.transports.set(name, scopes);
    }
  }
  return policy;
}

/** The registered transports' `ValidatePolicyConfigurationScope` (containers/image); unknown transports accept anything. */
function validScope(transport: string, scope: string): boolean {
  switch (transport) {
    case 'atomic':
      return ATOMIC_SCOPE.test(scope);
    case 'docker-daemon':
      // Image IDs cannot be namespaced.
      return !/^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/.test(scope);
    case 'docker-archive':
      return false;
    case 'dir':
    case 'oci':
    case 'oci-archive':
      return scope.startsWith('/') && scope !== '/' && posix.normalize(scope) === scope && !scope.endsWith('/');
    default:
      return true;
  }
}

function requirements(v: JsonValue, at: string): PolicyRequirement[] {
  if (!Array.isArray(v) || v.length === 0) {
    if (v === null || Array.isArray(v)) throw new PolicyFormatError('List of verification policy requirements must not be empty', at);
    throw new PolicyFormatError(`expected a list of requirements, got ${describe(v)}`, at);
  }
  return v.map((r, i) => requirement(r, `${at}[${i}]`));
}

function requirement(v: JsonValue, at: string): PolicyRequirement {
  const o = object(v, at);
  const type = o.type;
  if (typeof type !== 'string') throw new PolicyFormatError('requirement "type" is missing or not a string', at);
  switch (type) {
    case 'insecureAcceptAnything':
    case 'reject':
      onlyKeys(o, ['type'], at);
      return { type, fields: o };
    case 'signedBy':
      return signedBy(o, at);
    case 'signedBaseLayer':
      onlyKeys(o, ['type', 'baseLayerIdentity'], at);
      if (o.baseLayerIdentity === undefined) throw new PolicyFormatError('baseLayerIdentity not specified', at);
      identity(o.baseLayerIdentity, `${at}.baseLayerIdentity`);
      return { type, fields: o };
    case 'sigstoreSigned':
      return sigstoreSigned(o, at);
    default:
      throw new PolicyFormatError(`Unknown policy requirement type ${JSON.stringify(type)}`, at);
  }
}

const KEY_TYPES = ['GPGKeys', 'signedByGPGKeys', 'X509Certificates', 'signedByX509CAs'];

function signedBy(o: JsonObject, at: string): PolicyRequirement {
  onlyKeys(o, ['type', 'keyType', 'keyPath', 'keyPaths', 'keyData', 'signedIdentity'], at);
  if (o.keyType === undefined) throw new PolicyFormatError('invalid keyType ""', at);
  if (typeof o.keyType !== 'string' || !KEY_TYPES.includes(o.keyType)) {
    throw new PolicyFormatError(`Unrecognized keyType value ${JSON.stringify(o.keyType)}`, at);
  }
  const present = ['keyPath', 'keyPaths', 'keyData'].filter((k) => o[k] !== undefined);
  if (present.length === 0) throw new PolicyFormatError('Exactly one of keyPath, keyPaths and keyData must be specified, none of them present', at);
  if (present.length > 1) throw new PolicyFormatError('Exactly one of keyPath, keyPaths and keyData must be specified, more than one present', at);
  checkKeyFields(o, at);
  return { type: 'signedBy', fields: withIdentity(o, at) };
}

const SIGSTORE_KEYS = ['keyPath', 'keyPaths', 'keyData', 'keyDatas', 'fulcio', 'pki'];
const REKOR_KEYS = ['rekorPublicKeyPath', 'rekorPublicKeyPaths', 'rekorPublicKeyData', 'rekorPublicKeyDatas'];

function sigstoreSigned(o: JsonObject, at: string): PolicyRequirement {
  onlyKeys(o, ['type', ...SIGSTORE_KEYS, ...REKOR_KEYS, 'signedIdentity'], at);
  const present = SIGSTORE_KEYS.filter((k) => o[k] !== undefined);
  if (present.length !== 1) {
    throw new PolicyFormatError(
      'exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, and pki must be specified',
      at,
    );
  }
  const rekor = REKOR_KEYS.filter((k) => o[k] !== undefined);
  if (rekor.length > 1) throw new PolicyFormatError('at most one of rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas can be used simultaneously', at);
  if (o.fulcio !== undefined) {
    const f = object(o.fulcio, `${at}.fulcio`);
    onlyKeys(f, ['caPath', 'caData', 'oidcIssuer', 'subjectEmail'], `${at}.fulcio`);
    if (f.caPath !== undefined && f.caData !== undefined) throw new PolicyFormatError('caPath and caData cannot be used simultaneously', `${at}.fulcio`);
    if (f.caPath === undefined && f.caData === undefined) throw new PolicyFormatError('At least one of caPath and caData must be specified', `${at}.fulcio`);
    if (f.oidcIssuer === undefined) throw new PolicyFormatError('oidcIssuer not specified', `${at}.fulcio`);
    if (f.subjectEmail === undefined) throw new PolicyFormatError('subjectEmail not specified', `${at}.fulcio`);
    if (rekor.length === 0) throw new PolicyFormatError('At least one of rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas must be specified if fulcio is used', at);
  }
  if (o.pki !== undefined) {
    const p = object(o.pki, `${at}.pki`);
    onlyKeys(p, ['caRootsPath', 'caRootsData', 'caIntermediatesPath', 'caIntermediatesData', 'subjectEmail', 'subjectHostname'], `${at}.pki`);
    if (rekor.length > 0) throw new PolicyFormatError('rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas are not supported for pki', at);
    if (p.caRootsPath !== undefined && p.caRootsData !== undefined) throw new PolicyFormatError('caRootsPath and caRootsData cannot be used simultaneously', `${at}.pki`);
    if (p.caRootsPath === undefined && p.caRootsData === undefined) throw new PolicyFormatError('At least one of caRootsPath and caRootsData must be specified', `${at}.pki`);
    if (p.caIntermediatesPath !== undefined && p.caIntermediatesData !== undefined) throw new PolicyFormatError('caIntermediatesPath and caIntermediatesData cannot be used simultaneously', `${at}.pki`);
    if (p.subjectEmail === undefined && p.subjectHostname === undefined) throw new PolicyFormatError('At least one of subjectEmail, subjectHostname must be specified', `${at}.pki`);
  }
  checkKeyFields(o, at);
  return { type: 'sigstoreSigned', fields: withIdentity(o, at) };
}

function checkKeyFields(o: JsonObject, at: string): void {
  for (const k of ['keyPath', 'keyData', 'rekorPublicKeyPath', 'rekorPublicKeyData']) {
    if (o[k] !== undefined && typeof o[k] !== 'string') throw new PolicyFormatError(`${k} must be a string`, at);
  }
  for (const k of ['keyPaths', 'keyDatas', 'rekorPublicKeyPaths', 'rekorPublicKeyDatas']) {
    const v = o[k];
    if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) throw new PolicyFormatError(`${k} must be a list of strings`, at);
    if (Array.isArray(v) && v.length === 0) throw new PolicyFormatError(`"${k}" contains no entries`, at);
  }
}

/** Unmarshalling sets the default identity, so a re-serialized requirement carries it (as Go's does). */
function withIdentity(o: JsonObject, at: string): JsonObject {
  if (o.signedIdentity === undefined || o.signedIdentity === null) {
    const copy = Object.assign(Object.create(null) as JsonObject, o);
    copy.signedIdentity = Object.assign(Object.create(null) as JsonObject, { type: 'matchRepoDigestOrExact' });
    return copy;
  }
  identity(o.signedIdentity, `${at}.signedIdentity`);
  return o;
}

function identity(v: JsonValue, at: string): void {
  const o = object(v, at);
  const t = o.type;
  switch (t) {
    case 'matchExact':
    case 'matchRepoDigestOrExact':
    case 'matchRepository':
      onlyKeys(o, ['type'], at);
      return;
    case 'exactReference': {
      onlyKeys(o, ['type', 'dockerReference'], at);
      const r = o.dockerReference;
      if (typeof r !== 'string') throw new PolicyFormatError('dockerReference must be specified', at);
      const ref = parseOrFormatError(r, at);
      if (ref.tag === null && ref.digest === null) throw new PolicyFormatError(`dockerReference ${JSON.stringify(r)} contains neither a tag nor digest`, at);
      return;
    }
    case 'exactRepository': {
      onlyKeys(o, ['type', 'dockerRepository'], at);
      if (typeof o.dockerRepository !== 'string') throw new PolicyFormatError('dockerRepository must be specified', at);
      parseOrFormatError(o.dockerRepository, at);
      return;
    }
    case 'remapIdentity':
      onlyKeys(o, ['type', 'prefix', 'signedPrefix'], at);
      for (const k of ['prefix', 'signedPrefix']) {
        const p = o[k];
        if (typeof p !== 'string') throw new PolicyFormatError(`${k} must be specified`, at);
        if (!/^[^/]+(\/.+)?$/.test(p) || /[:@]/.test(p.split('/').slice(1).join('/'))) {
          throw new PolicyFormatError(`${k} ${JSON.stringify(p)} is not valid`, at);
        }
      }
      return;
    default:
      throw new PolicyFormatError(`Unknown policy reference match type ${JSON.stringify(t)}`, at);
  }
}

function parseOrFormatError(r: string, at: string): ReturnType<typeof parseNormalizedDockerRef> {
  try {
    return parseNormalizedDockerRef(r);
  } catch (err) {
    throw new PolicyFormatError((err as Error).message, at);
  }
}

function object(v: JsonValue, at: string): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new PolicyFormatError(`JSON object expected, got ${describe(v)}`, at);
  return v;
}

function onlyKeys(o: JsonObject, allowed: string[], at: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new PolicyFormatError(`Unknown key ${JSON.stringify(k)}`, at);
}

function describe(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? `string ${JSON.stringify(v)}` : typeof v;
}

export type { RequirementType };
