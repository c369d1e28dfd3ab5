import { describe, expect, it } from 'vitest';
import { goJsonError } from '../../src/registry/go-json.ts';
import { parseManifestAsRuntime, normalizedMimeType } from '../../src/registry/manifest-parse.ts';
import { goQuoteBytes } from '../../src/registry/go-quote.ts';

// Texts from Go's encoding/json scanner (json.Unmarshal validates the whole input first).
describe('goJsonError', () => {
  it.each([
    ['{"a":[1,2,{"b":null}],"c":true}', null],
    ['  [ ]  ', null],
    ['-0.5e+3', null],
    ['', 'unexpected end of JSON input'],
    ['{"a":', 'unexpected end of JSON input'],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['[1 2]', "invalid character '2' after array element"],
    ['{1:2}', "invalid character '1' looking for beginning of object key string"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['01', "invalid character '1' after top-level value"],
    ['-x', "invalid character 'x' in numeric literal"],
    ['1.x', "invalid character 'x' after decimal point in numeric literal"],
    ['1ex', "invalid character 'x' in exponent of numeric literal"],
    ['tru', 'unexpected end of JSON input'],
    ['nul1', "invalid character '1' in literal null (expecting 'l')"],
    ['"a\\q"', "invalid character 'q' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ['"a\nb"', "invalid character '\\n' in string literal"],
  ])('%j → %j', (text, expected) => {
    expect(goJsonError(Buffer.from(text, 'latin1'))).toBe(expected);
  });

  it('stops at 10000 levels as Go does, without recursion', () => {
    expect(goJsonError(Buffer.from('['.repeat(10_000) + ']'.repeat(10_000)))).toBeNull();
    expect(goJsonError(Buffer.from('['.repeat(10_001) + ']'.repeat(10_001)))).toBe("invalid character '[' exceeded max depth");
    expect(goJsonError(Buffer.from('{"a":'.repeat(1_000_000)))).toBe("invalid character '{' exceeded max depth");
  });
});

describe('parseManifestAsRuntime', () => {
  it('reads unknown, empty and application/json types as schema 1, as NormalizedMIMEType does', () => {
    for (const t of ['application/json', 'text/plain', '']) expect(normalizedMimeType(t)).toBe('application/vnd.docker.distribution.manifest.v1+prettyjws');
    expect(parseManifestAsRuntime(Buffer.from('{}'), 'text/plain').error).toBe('unsupported schema version 0');
    expect(parseManifestAsRuntime(Buffer.from('{"schemaVersion":2}'), '').error).toBe('unsupported schema version 2');
    expect(parseManifestAsRuntime(Buffer.from('{"schemaVersion":"2"}'), '').error).toBe('json: cannot unmarshal string into Go struct field Schema1.schemaVersion of type int');
  });

  it('checks schema 1 invariants', () => {
    expect(parseManifestAsRuntime(Buffer.from('{"schemaVersion":1}'), 'application/json').error).toBe('no FSLayers in manifest');
    expect(parseManifestAsRuntime(Buffer.from('{"schemaVersion":1,"fsLayers":[{}],"history":[]}'), 'application/json').error).toBe('length of history not equal to number of layers');
    expect(parseManifestAsRuntime(Buffer.from('{"schemaVersion":1,"fsLayers":[{}],"history":[{"v1Compatibility":"{"}]}'), 'application/json').error).toBe('parsing v2s1 history entry 0: unexpected end of JSON input');
    expect(parseManifestAsRuntime(Buffer.from('{"schemaVersion":1,"fsLayers":[{}],"history":[{"v1Compatibility":"{}"}]}'), 'application/json').error).toBeNull();
  });

  it('accepts real OCI and Docker manifests and indexes', () => {
    const oci = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json' }, layers: [] });
    expect(parseManifestAsRuntime(Buffer.from(oci), 'application/vnd.oci.image.manifest.v1+json')).toEqual({ mimeType: 'application/vnd.oci.image.manifest.v1+json', isList: false, error: null });
    const list = JSON.stringify({ schemaVersion: 2, manifests: [] });
    expect(parseManifestAsRuntime(Buffer.from(list), 'application/vnd.docker.distribution.manifest.list.v2+json')).toMatchObject({ isList: true, error: null });
    expect(parseManifestAsRuntime(Buffer.from('{"schemaVersion":2,"manifests":[],"layers":[]}'), 'application/vnd.docker.distribution.manifest.list.v2+json').error).toBe(
      'parsing schema2 manifest list: rejecting ambiguous manifest, unexpected fields []string{"layers"} in supposedly application/vnd.docker.distribution.manifest.list.v2+json',
    );
  });
});

describe('goQuoteBytes (strconv.Quote of bytes)', () => {
  it.each([
    [[0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28], '"\\x15\\x03\\x01\\x00\\x02\\x02("'],
    [[0x22, 0x5c, 0x0a, 0x7f], '"\\"\\\\\\n\\x7f"'],
    [[0xc3, 0xa9, 0xff], '"é\\xff"'],
  ])('%j → %s', (bytes, expected) => {
    expect(goQuoteBytes(Uint8Array.from(bytes))).toBe(expected);
  });
});
