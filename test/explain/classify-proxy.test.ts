import { describe, expect, it } from 'vitest';
import { classifyAttemptError } from '../../src/explain/classify.ts';

// The runtime's texts for proxy failures, as skopeo 1.9.3 printed them through squid (test/integration/proxy-squid.test.ts).
describe('explain: proxy failures are told apart from registry failures', () => {
  it.each([
    ['pinging container registry registry.test:5000: Get "https://registry.test:5000/v2/": proxyconnect tcp: dial tcp 127.0.0.1:3128: connect: connection refused'],
    ['pinging container registry registry.test:5000: Get "https://registry.test:5000/v2/": Proxy Authentication Required'],
    ['pinging container registry plain.test:5000: invalid status code from registry 407 (Proxy Authentication Required)'],
    ['pinging container registry r.test: Get "https://r.test/v2/": socks connect tcp 127.0.0.1:1080->r.test:443: unknown error connection refused'],
  ])('%s', (text) => {
    expect(classifyAttemptError(text).errorClass).toBe('proxy');
  });
  it('a registry that refuses a direct connection stays refused', () => {
    expect(classifyAttemptError('pinging container registry r.test: Get "https://r.test/v2/": dial tcp 10.0.0.1:443: connect: connection refused').errorClass).toBe('refused');
  });
});
