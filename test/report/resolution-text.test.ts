/** The text chain of `pullpath resolve`: what users read to learn where a pull goes and why. */
import { describe, expect, it } from 'vitest';
import { formatResolutionText } from '../../src/report/resolution-text.ts';
import { FIX_TEXT } from '../../src/report/what-to-do.ts';
import { compileConfig, resolveArg } from '../../src/resolve/index.ts';
import { confFrom } from '../resolve/helpers.ts';

const compiled = compileConfig(
  confFrom(
    `unqualified-search-registries = ["quay.io", "docker.io"]
[[registry]]
location = "quay.io"
blocked = true
[[registry.mirror]]
location = "mirror.local/quay"
[[registry.mirror]]
location = "digests.local/quay"
pull-from-mirror = "digest-only"
`,
    { path: 'c.conf' },
  ),
);

describe('resolution text', () => {
  it('shows the entry, each source in order with why, blocked sources and skipped mirrors', () => {
    const text = formatResolutionText(resolveArg(compiled, 'docker://quay.io/org/app:1'));
    expect(text.split('\n')).toEqual([
      'docker://quay.io/org/app:1',
      '  normalized: quay.io/org/app:1',
      '  registry: prefix "quay.io" → location "quay.io" [blocked]',
      '            from c.conf:2',
      '  sources, in the order the runtime tries them (the first that serves the manifest wins):',
      '    1. mirror.local/quay/org/app:1  (mirror)',
      '       mirror 1 of 2 of [[registry]] "quay.io" (c.conf:5)',
      '    2. quay.io/org/app:1  (primary, BLOCKED)',
      '       primary location of [[registry]] "quay.io" (c.conf:2), always tried last',
      '       fails without contacting the registry: registry quay.io is blocked in c.conf or test.conf.d',
      '       blocked by [[registry]] "quay.io" (c.conf:2)',
      '  mirrors left out:',
      '    - digests.local/quay: digest-only mirror skipped for a tag reference (pull-from-mirror = "digest-only") (c.conf:7)',
      '  what to do:',
      `    - digests.local/quay (skipped): ${FIX_TEXT['tag-on-digest-only']}`,
    ]);
  });

  it('lists short-name candidates in order, with the search explanation', () => {
    const text = formatResolutionText(resolveArg(compiled, 'fedora'));
    expect(text).toContain('note: Resolving "fedora" using unqualified-search registries (c.conf)');
    expect(text).toContain('candidate 1: quay.io/fedora:latest');
    expect(text).toContain('candidate 2: docker.io/library/fedora:latest');
    expect(text.indexOf('candidate 1')).toBeLessThan(text.indexOf('candidate 2'));
    expect(text).toContain('registry: no [[registry]] entry matches; the reference is pulled as is');
  });

  it('ends with the error, then what to do', () => {
    const ref = 'docker://quay.io/x:1@sha256:' + 'a'.repeat(64);
    const text = formatResolutionText(resolveArg(compiled, ref));
    expect(text.split('\n').slice(-3)).toEqual([
      '  error: Docker references with both a tag and digest are currently not supported',
      '  what to do:',
      `    - ${ref}: ${FIX_TEXT['invalid-reference']}`,
    ]);
  });

  it('says what to do about a digest-only mirror skipped for a tag: pin by digest, or add an ImageTagMirrorSet', () => {
    const text = formatResolutionText(resolveArg(compiled, 'docker://quay.io/org/app:1'));
    expect(text).toContain('  what to do:\n    - digests.local/quay (skipped): pin by digest, or add an ImageTagMirrorSet');
  });
});
