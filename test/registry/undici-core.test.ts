/**
 * src/registry/undici-core.ts loads undici's own modules instead of its index (start-up: the index loads fetch,
 * WebSocket, the cache stores…). They must be the very objects the index exports, so a MockAgent from 'undici',
 * `instanceof` checks and the request API on dispatchers keep working across both.
 */
import * as undici from 'undici';
import { describe, expect, it } from 'vitest';
import * as core from '../../src/registry/undici-core.ts';

describe('undici-core', () => {
  it('exports the same classes and functions as undici’s index', () => {
    expect(core.Client).toBe(undici.Client);
    expect(core.Agent).toBe(undici.Agent);
    expect(core.Dispatcher).toBe(undici.Dispatcher);
    expect(core.buildConnector).toBe(undici.buildConnector);
    expect(core.errors).toBe(undici.errors);
    expect(core.util.parseHeaders).toBe(undici.util.parseHeaders);
    expect(core.util.headerNameToString).toBe(undici.util.headerNameToString);
  });

  it('gives dispatchers the request API, as the index does', () => {
    for (const m of ['request', 'stream', 'pipeline', 'connect', 'upgrade'] as const) {
      expect(typeof (core.Dispatcher.prototype as unknown as Record<string, unknown>)[m]).toBe('function');
    }
  });
});
