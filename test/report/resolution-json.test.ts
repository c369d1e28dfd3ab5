/** The JSON Lines contract of `pullpath resolve --output json`: field names, order and shapes. */
import { describe, expect, it } from 'vitest';
import { formatResolutionJsonLine, resolutionToJson } from '../../src/report/resolution-json.ts';
import { FIX_TEXT } from '../../src/report/what-to-do.ts';
import { compileConfig, resolveArg } from '../../src/resolve/index.ts';
import { confFrom } from '../resolve/helpers.ts';

const compiled = compileConfig(
  confFrom(
    `unqualified-search-registries = ["quay.io"]
[[registry]]
location = "quay.io"
blocked = true
mirror-by-digest-only = true
[[registry.mirror]]
location = "mirror.local/quay"
`,
    { path: 'c.conf' },
  ),
);

describe('resolution JSON', () => {
  it('has exactly the contract fields, in order', () => {
    const o = resolutionToJson(resolveArg(compiled, 'docker://quay.io/org/app:1'));
    expect(Object.keys(o)).toEqual(['type', 'image', 'normalized', 'registry', 'sources', 'skipped', 'candidates', 'error', 'whatToDo']);
    expect(o).toEqual({
      type: 'resolve',
      image: 'docker://quay.io/org/app:1',
      normalized: 'quay.io/org/app:1',
      registry: { prefix: 'quay.io', location: 'quay.io', insecure: false, blocked: true, mirrorByDigestOnly: true, origin: 'c.conf:2' },
      sources: [{ location: 'quay.io', insecure: false, reference: 'quay.io/org/app:1', blocked: true, mirror: false }],
      skipped: [{ location: 'mirror.local/quay', reason: 'digest-only mirror skipped for a tag reference (mirror-by-digest-only = true)', kind: 'digest-only' }],
      candidates: [],
      error: null,
      whatToDo: [
        { subject: 'mirror.local/quay (skipped)', topic: 'tag-on-digest-only', text: FIX_TEXT['tag-on-digest-only'] },
        { subject: 'quay.io', topic: 'blocked', text: FIX_TEXT.blocked },
      ],
    });
  });

  it('lists short-name candidates with their own sources', () => {
    const o = resolutionToJson(resolveArg(compiled, 'app@sha256:' + 'a'.repeat(64)));
    expect(o.candidates).toEqual([
      {
        reference: `quay.io/app@sha256:${'a'.repeat(64)}`,
        registry: expect.objectContaining({ prefix: 'quay.io' }),
        sources: [
          { location: 'mirror.local/quay', insecure: false, reference: `mirror.local/quay/app@sha256:${'a'.repeat(64)}`, blocked: false, mirror: true },
          { location: 'quay.io', insecure: false, reference: `quay.io/app@sha256:${'a'.repeat(64)}`, blocked: true, mirror: false },
        ],
        skipped: [],
        error: null,
      },
    ]);
  });

  it('is one line', () => {
    const line = formatResolutionJsonLine(resolveArg(compiled, 'docker://Bad'));
    expect(line).not.toContain('\n');
    expect(JSON.parse(line).error).toBe('invalid reference format: repository name must be lowercase');
  });
});
