/** `[aliases]` validation with the upstream lists (shortnames_test.go TestValidateShortName / TestParseShortNameValue, research §8.2). */
import { describe, expect, it } from 'vitest';
import { aliasValue, shortNameKeyError } from '../../src/config/aliases.ts';

describe('alias keys (validateShortName)', () => {
  it.each(['fedora', 'library/fedora', '1234567489'])('accepts %s', (name) => {
    expect(shortNameKeyError(name)).toBeNull();
  });
  it.each([
    ['quay.io/fedora', 'invalid short name "quay.io/fedora": must not contain registry'],
    ['localhost/fedora', 'invalid short name "localhost/fedora": must not contain registry'],
    ['fedora:latest', 'invalid short name "fedora:latest": must not contain tag'],
    [`fedora@sha256:${'a'.repeat(64)}`, `invalid short name "fedora@sha256:${'a'.repeat(64)}": must not contain digest`],
  ])('refuses %s', (name, error) => {
    expect(shortNameKeyError(name)).toBe(error);
  });
  it('refuses what does not parse, with the parser error', () => {
    expect(shortNameKeyError('$$$')).toMatch(/^cannot parse short name: "\$\$\$": invalid reference format/);
  });
});

describe('alias values (parseShortNameValue)', () => {
  it.each([
    ['docker.io/library/fedora', 'docker.io/library/fedora'],
    ['docker.io/fedora', 'docker.io/library/fedora'],
    ['localhost/fedora', 'localhost/fedora'],
    ['localhost:5000/fedora', 'localhost:5000/fedora'],
    ['localhost:5000/namespace/fedora', 'localhost:5000/namespace/fedora'],
    ['', ''],
  ])('accepts %j, stored as %j', (value, stored) => {
    expect(aliasValue(value)).toEqual({ ok: true, value: stored });
  });
  it.each([
    ['fedora', 'invalid alias "fedora": must contain registry and repository'],
    ['library/fedora', 'invalid alias "library/fedora": must contain registry and repository'],
    ['quay.io/repo/image:1', 'invalid alias "quay.io/repo/image:1": must not contain tag'],
  ])('refuses %s', (value, error) => {
    expect(aliasValue(value)).toEqual({ ok: false, error });
  });
  it.each(['docker://foo', ' ', '$$$'])('refuses %j as unparseable', (value) => {
    const r = aliasValue(value);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^parsing alias /);
  });
});
