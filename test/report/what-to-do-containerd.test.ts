/**
 * On a containerd node the fixes are hosts.toml's (http:// in the host key, `ca`, capabilities), not
 * registries.conf's: the same topics, containerd's words, chosen from the attempt's location (a URL).
 */
import { describe, expect, it } from 'vitest';
import { pullFixes, resolutionFixes } from '../../src/report/what-to-do.ts';
import type { AttemptEvent, ImageStartEvent, ResultEvent } from '../../src/events/pull-events.ts';
import type { Resolution } from '../../src/resolve/resolution.ts';

const start = (skipped: ImageStartEvent['skipped'] = []): ImageStartEvent => ({ type: 'image', image: 'docker.io/library/nginx:1.25', at: 0, normalized: 'docker.io/library/nginx:1.25', registry: null, plan: [], skipped, error: null });
const attempt = (location: string, errorClass: AttemptEvent['errorClass']): AttemptEvent => ({ type: 'attempt', image: 'x', index: 0, at: 0, reference: 'mirror:5000/library/nginx:1.25', location, mirror: true, insecure: false, outcome: 'failed', error: 'e', errorClass, httpStatus: null, durationMs: 1, steps: [] });
const failed: ResultEvent = { type: 'result', image: 'x', at: 0, ok: false, source: null, sourceIndex: null, digest: null, mediaType: null, error: 'e', errorClass: 'other', durationMs: 1 };

describe('what to do on a containerd node', () => {
  it('http-to-https and tls point at hosts.toml for containerd hosts, registries.conf for containers/image ones', () => {
    const ctrd = pullFixes(start(), [attempt('https://mirror:5000/v2', 'http-to-https'), attempt('https://other:5000/v2', 'tls')], failed);
    expect(ctrd.map((f) => f.text)).toEqual([expect.stringContaining('name it with http:// in hosts.toml'), expect.stringContaining('ca = "/etc/containerd/certs.d/HOST/ca.crt"')]);
    const cimage = pullFixes(start(), [attempt('mirror:5000', 'http-to-https')], failed);
    expect(cimage[0]!.text).toContain('set insecure = true');
  });

  it('a host skipped for its capabilities: add "resolve" for tags, "pull" when it cannot pull at all', () => {
    const r: Resolution = {
      ref: 'quay.io/a/b:1', normalized: 'quay.io/a/b:1', registry: null, sources: [], error: null, runtime: 'containerd',
      skipped: [
        { location: 'http://m1:5000/v2', kind: 'capability', reason: '[host."http://m1:5000"] has capabilities [pull] without "resolve": containerd does not resolve tags there' },
        { location: 'http://m2:5000/v2', kind: 'capability', reason: '[host."http://m2:5000"] has capabilities [resolve] without "pull" and "resolve": …' },
      ],
    };
    expect(resolutionFixes(r).map((f) => [f.subject, f.text])).toEqual([
      ['http://m1:5000/v2 (skipped)', expect.stringContaining('capabilities = ["pull", "resolve"]')],
      ['http://m2:5000/v2 (skipped)', expect.stringContaining('add "pull" to its capabilities')],
    ]);
  });
});
