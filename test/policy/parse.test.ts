/** Strict policy.json parsing (containers/image policy_config.go; research §5.1). */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { parsePolicy } from '../../src/policy/parse.ts';
import { serializePolicy } from '../../src/policy/serialize.ts';

const bad = (text: string): string => {
  try {
    parsePolicy(text, '/etc/containers/policy.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected parsePolicy to fail');
};
const P = 'invalid policy in "/etc/containers/policy.json": ';
const ACCEPT = '[{"type":"insecureAcceptAnything"}]';

describe('parsePolicy', () => {
  it.each([
    ['unknown top-level key', `{"default":${ACCEPT},"extra":1}`, 'Unknown key "extra"'],
    ['duplicate key', `{"default":${ACCEPT},"default":${ACCEPT}}`, 'Duplicate key "default"'],
    ['trailing data', `{"default":${ACCEPT}} {}`, 'Unexpected data after JSON object'],
    ['missing default', '{"transports":{}}', 'Default policy is missing'],
    ['empty requirement list', '{"default":[]}', 'List of verification policy requirements must not be empty'],
    ['empty scope list', `{"default":${ACCEPT},"transports":{"docker":{"quay.io":[]}}}`, 'List of verification policy requirements must not be empty'],
    ['extra key on reject', '{"default":[{"type":"reject","why":"x"}]}', 'Unknown key "why"'],
    ['unknown requirement type', '{"default":[{"type":"acceptSome"}]}', 'Unknown policy requirement type "acceptSome"'],
    ['bad keyType', '{"default":[{"type":"signedBy","keyType":"PGP","keyPath":"/k"}]}', 'Unrecognized keyType value "PGP"'],
    ['no key', '{"default":[{"type":"signedBy","keyType":"GPGKeys"}]}', 'Exactly one of keyPath, keyPaths and keyData must be specified, none of them present'],
    ['two keys', '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","keyData":"eA=="}]}', 'Exactly one of keyPath, keyPaths and keyData must be specified, more than one present'],
    ['unknown identity', '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"matchAll"}}]}', 'Unknown policy reference match type "matchAll"'],
    [
      'exactReference without tag',
      '{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"exactReference","dockerReference":"quay.io/a/b"}}]}',
      'dockerReference "quay.io/a/b" contains neither a tag nor digest',
    ],
    ['atomic scope with 3 segments', `{"default":${ACCEPT},"transports":{"atomic":{"a.io/b/c/d":${ACCEPT}}}}`, 'Unknown key "a.io/b/c/d"'],
    ['docker-daemon digest scope', `{"default":${ACCEPT},"transports":{"docker-daemon":{"sha256:${'a'.repeat(64)}":${ACCEPT}}}}`, `Unknown key "sha256:${'a'.repeat(64)}"`],
    ['docker-archive scope', `{"default":${ACCEPT},"transports":{"docker-archive":{"x":${ACCEPT}}}}`, 'Unknown key "x"'],
    ['dir relative scope', `{"default":${ACCEPT},"transports":{"dir":{"tmp/x":${ACCEPT}}}}`, 'Unknown key "tmp/x"'],
    ['dir non-canonical scope', `{"default":${ACCEPT},"transports":{"dir":{"/tmp//x":${ACCEPT}}}}`, 'Unknown key "/tmp//x"'],
  ])('%s', (_name, text, want) => {
    expect(bad(text).startsWith(P + want)).toBe(true);
  });

  it('syntax errors carry the line', () => {
    expect(bad('{\n"default": [\n}')).toMatch(/\(line 3\)$/);
  });

  it('docker accepts any scope string; docker-daemon namespaces and dir paths are fine; unknown transports are unvalidated', () => {
    const p = parsePolicy(`{"default":${ACCEPT},"transports":{"docker":{"a.io/b/c/d:tag":${ACCEPT}},"docker-daemon":{"quay.io/x":${ACCEPT}},"dir":{"/tmp/x":${ACCEPT}},"mytransport":{"x":${ACCEPT}}}}`, 'p');
    expect([...(p.transports.get('docker')?.keys() ?? [])]).toEqual(['a.io/b/c/d:tag']);
  });

  it('the stock MCO template parses and re-serializes as Go does', () => {
    const tpl = '{\n    "default": [{"type": "insecureAcceptAnything"}],\n    "transports": {"docker-daemon": {"": [{"type":"insecureAcceptAnything"}]}}\n}\n';
    expect(serializePolicy(parsePolicy(tpl, 't'), '')).toBe('{"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker-daemon":{"":[{"type":"insecureAcceptAnything"}]}}}');
  });

  it('signedBy gets the default signedIdentity and Go field order when re-serialized', () => {
    const p = parsePolicy('{"default":[{"keyPath":"/k","type":"signedBy","keyType":"GPGKeys"}]}', 'p');
    expect(serializePolicy(p, '')).toBe('{"default":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/k","signedIdentity":{"type":"matchRepoDigestOrExact"}}],"transports":{}}');
  });

  it('sigstoreSigned with fulcio needs a rekor key', () => {
    const f = '{"caPath":"/ca","oidcIssuer":"https://i","subjectEmail":"a@b"}';
    expect(bad(`{"default":[{"type":"sigstoreSigned","fulcio":${f}}]}`)).toContain('At least one of rekorPublickeyPath, rekorPublicKeyPaths, rekorPublickeyData and rekorPublicKeyDatas must be specified if fulcio is used');
    expect(() => parsePolicy(`{"default":[{"type":"sigstoreSigned","fulcio":${f},"rekorPublicKeyPath":"/r"}]}`, 'p')).not.toThrow();
  });
});
