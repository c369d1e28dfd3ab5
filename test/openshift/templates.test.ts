/**
 * The stock templates, byte for byte as the MCO writes them to a node (issue 11 item 6). Fixtures are copies of
 * machine-config-operator@7ff337a4 templates/worker/01-worker-container-runtime/_base/files/*.yaml; the MCO
 * reads them with go-yaml v2, which keeps a block scalar's final line break only when the source has one.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../src/openshift/load-objects.ts';
import { renderOpenShift } from '../../src/openshift/render.ts';
import { templateInline } from '../../src/openshift/template-inline.ts';
import { STOCK_POLICY_JSON, STOCK_REGISTRIES_CONF, stockTemplates } from '../../src/openshift/templates.ts';
import { objs } from './helpers.ts';

const DIR = 'test/fixtures/openshift/mco-templates';
const mco = (name: string): string => readFileSync(`${DIR}/${name}`, 'utf8');

describe('stock templates', () => {
  it('policy.json is the 255 bytes of policy.yaml inline, ending in "}" with no newline', () => {
    expect(Buffer.byteLength(STOCK_POLICY_JSON)).toBe(255);
    expect(STOCK_POLICY_JSON.endsWith('}')).toBe(true);
    expect(templateInline(mco('policy.yaml'))).toBe(STOCK_POLICY_JSON);
  });

  it('registries.conf is container-registries.yaml inline, with its final newline (76 bytes)', () => {
    expect(templateInline(mco('container-registries.yaml'))).toBe(STOCK_REGISTRIES_CONF);
    expect(Buffer.byteLength(STOCK_REGISTRIES_CONF)).toBe(76);
  });

  it('a mirror-only render leaves policy.json as the template, byte for byte', () => {
    const r = renderOpenShift(objs({ idms: [[['quay.io/a', ['mirror.local/a']]]] }));
    expect(r.generated.policyJson).toBe(false);
    expect(r.files.policyJson).toBe(STOCK_POLICY_JSON);
    expect(r.files.registriesConf.endsWith('"digest-only"\n')).toBe(true);
  });
});

describe('final bytes of every rendered file (MCO pkg/controller/container-runtime-config/helpers.go)', () => {
  const r = renderOpenShift(objs({ blocked: ['untrusted.com'], search: ['reg1.io'], idms: [[['quay.io/a', ['mirror.local/a']]]] }));
  it('registries.conf and the search drop-in: BurntSushi toml Encode, one final newline', () => {
    expect(r.files.registriesConf.endsWith('"\n') || r.files.registriesConf.endsWith('true\n')).toBe(true);
    expect(r.files.registriesConf.endsWith('\n\n')).toBe(false);
    expect(r.files.searchRegistries?.endsWith('""\n')).toBe(true);
  });
  it('a generated policy.json: json.MarshalIndent, no final newline', () => {
    expect(r.generated.policyJson).toBe(true);
    expect(r.files.policyJson.endsWith('\n}')).toBe(true);
  });
});

describe('templateInline (go-yaml block scalar chomping)', () => {
  const y = (body: string): string => `contents:\n  inline: ${body}`;
  it.each([
    ['| with a final line break', y('|\n    a\n    b\n'), 'a\nb\n'],
    ['| at end of file without one', y('|\n    a\n    b'), 'a\nb'],
    ['|+ at end of file without one', y('|+\n    a\n    b'), 'a\nb'],
    ['|- with a final line break', y('|-\n    a\n    b\n'), 'a\nb'],
    ['| followed by another key', y('|\n    a\n    b\nmode: 420\n'), 'a\nb\n'],
    ['a plain string', y('"a\\n"\n'), 'a\n'],
  ])('%s', (_name, text, want) => {
    expect(templateInline(text)).toBe(want);
  });

  it('null without contents.inline', () => {
    expect(templateInline('mode: 420\n')).toBeNull();
  });
});

describe('loadTemplates on the MCO template form', () => {
  it('reads policy.yaml as the 255-byte file', async () => {
    const t = await loadTemplates(DIR, stockTemplates());
    expect(t.policyJson).toBe(STOCK_POLICY_JSON);
    expect(t.registriesConf).toBe(STOCK_REGISTRIES_CONF);
  });
});
