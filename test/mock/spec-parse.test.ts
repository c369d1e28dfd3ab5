import { describe, it, expect } from 'vitest';
import { parse } from 'smol-toml';
import { parseMockRegistrySpec } from '../../src/mock/spec-parse.ts';
import { ConfigError } from '../../src/errors.ts';

const TOML = `
[[registry]]
host = "mirror.example.com"
tls = true
images = [ { repository = "org/app", tags = ["1.4"], platforms = ["linux/amd64", "linux/arm64/v8"], layers = [1024, "16MiB"] } ]
auth = { type = "bearer", users = [ { username = "ci", password = "s3cret", repositories = ["org/*"] } ], token-ttl = 120 }

[[registry.fault]]
kind = "status"
status = 429
retry-after = 3
route = "manifest"
from = 2
to = 5

[[registry.fault]]
kind = "flaky"
probability = 0.2
fault = { kind = "reset", after-bytes = "1KiB" }

[[registry.fault]]
kind = "latency"
distribution = "normal"
mean = 80
stddev = 10
method = "head"

[[registry.fault]]
kind = "slow-body"
bytes-per-second = "64KiB"
`;

describe('parseMockRegistrySpec', () => {
  it('reads a scenario [[registry]] table with kebab-case keys into the spec types', () => {
    const doc = parse(TOML) as { registry: unknown[] };
    const spec = parseMockRegistrySpec(doc.registry[0], { file: 's.toml', key: 'registry[0]' });
    expect(spec).toEqual({
      host: 'mirror.example.com',
      tls: true,
      images: [{ repository: 'org/app', tags: ['1.4'], platforms: ['linux/amd64', 'linux/arm64/v8'], layers: [1024, 16 * 1024 * 1024] }],
      auth: { type: 'bearer', users: [{ username: 'ci', password: 's3cret', repositories: ['org/*'] }], tokenTtl: 120 },
      faults: [
        { kind: 'status', status: 429, retryAfter: 3, route: ['manifest'], from: 2, to: 5 },
        { kind: 'flaky', probability: 0.2, fault: { kind: 'reset', afterBytes: 1024 } },
        { kind: 'latency', distribution: 'normal', mean: 80, stddev: 10, method: ['HEAD'] },
        { kind: 'slow-body', bytesPerSecond: 65536 },
      ],
    });
  });

  it.each([
    [{ host: 'h', images: [{ repository: 'Org/App' }] }, 'registry.images[0].repository: expected a repository path in lower case'],
    [{ host: 'h', images: [{ repository: 'a', layers: [1, 'huge'] }] }, 'registry.images[0].layers[1]: expected a size in bytes'],
    [{ host: 'h', fault: [{ kind: 'slow-body', 'bytes-per-second': 0 }] }, 'registry.fault[0].bytes-per-second: expected a rate above 0'],
    [{ host: 'h', auth: { type: 'bearer', 'token-ttl': -1 } }, 'registry.auth.token-ttl: expected a token lifetime'],
    [{ host: 'h', fault: [{ kind: 'explode' }] }, 'registry.fault[0].kind: expected one of refuse, blackhole'],
    [{ host: 'h', fault: [{ kind: 'status', status: 999 }] }, 'registry.fault[0].status: expected an HTTP status (100-599), got 999'],
    [{ host: 'h', fault: [{ kind: 'status', status: 503, from: 5, to: 2 }] }, 'registry.fault[0].to: expected a time after from (5), got 2'],
    [{ host: 'h', fault: [{ kind: 'refuse', route: 'manifest' }] }, 'only from/to on a refuse rule'],
    [{ host: 'h', fault: [{ kind: 'flaky', fault: { kind: 'refuse' } }] }, 'registry.fault[0].fault.kind: expected a per-request fault'],
    [{ host: 'h', fault: [{ kind: 'blackhole', probabilty: 0.5 }] }, 'registry.fault[0].probabilty: expected one of the keys'],
    [{ host: 'h', auth: { type: 'basic' } }, 'registry.auth.users: expected at least one user'],
    [{ host: 'h', fault: [{ kind: 'latency' }] }, 'registry.fault[0].ms: expected a delay in milliseconds'],
    [{ images: [] }, 'registry.host: expected a non-empty string'],
  ])('rejects %j naming the key and what was expected', (raw, message) => {
    let err: unknown;
    try {
      parseMockRegistrySpec(raw, { file: 'bad.toml' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain(message);
    expect((err as ConfigError).message.startsWith('bad.toml: ')).toBe(true);
    expect((err as ConfigError).file).toBe('bad.toml');
  });
});
