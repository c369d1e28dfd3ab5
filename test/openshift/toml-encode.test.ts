/** BurntSushi/toml v1.5 encoder details that the worked examples do not reach. */
import { describe, expect, it } from 'vitest';
import { emptyNodeConf, newRegistry } from '../../src/openshift/node-registries-conf.ts';
import { encodeRegistriesConf, quote } from '../../src/openshift/toml-encode.ts';

describe('encodeRegistriesConf', () => {
  it('escapes strings as dblQuotedReplacer does', () => {
    expect(quote('a"b\\c\nd\te\u0001\u007f')).toBe('"a\\"b\\\\c\\nd\\te\\u0001\\u007f"');
  });

  it('writes nil lists not at all and empty lists as []', () => {
    const conf = emptyNodeConf();
    expect(encodeRegistriesConf(conf, { additionalLayerStoreAuthHelper: false })).toBe('short-name-mode = ""\n');
    conf.credentialHelpers = [];
    expect(encodeRegistriesConf(conf, { additionalLayerStoreAuthHelper: false })).toBe('credential-helpers = []\nshort-name-mode = ""\n');
  });

  it('a first [[registry]] with nothing before it gets no leading blank line', () => {
    const conf = emptyNodeConf();
    conf.shortNameMode = 'x';
    conf.registries = [newRegistry({ location: 'a.io', pullFromMirror: 'all' })];
    expect(encodeRegistriesConf(conf, { additionalLayerStoreAuthHelper: false })).toBe('short-name-mode = "x"\n\n[[registry]]\n  prefix = ""\n  location = "a.io"\n  pull-from-mirror = "all"\n');
  });

  it('aliases come last, sorted, keys quoted when not bare', () => {
    const conf = emptyNodeConf();
    conf.aliases = new Map([['z', 'quay.io/z'], ['a/b', 'quay.io/a/b']]);
    expect(encodeRegistriesConf(conf, { additionalLayerStoreAuthHelper: true })).toBe(
      'short-name-mode = ""\nadditional-layer-store-auth-helper = ""\n\n[aliases]\n  "a/b" = "quay.io/a/b"\n  z = "quay.io/z"\n',
    );
  });
});
