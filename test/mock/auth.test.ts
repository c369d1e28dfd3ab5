import { describe, it, expect, afterEach } from 'vitest';
import { startMockRegistry, type RunningMockRegistry } from '../../src/mock/start.ts';
import { createManualClock } from '../../src/mock/clock.ts';
import { createClient, header, basic, ACCEPT_ALL } from './client.ts';

const images = [{ repository: 'org/app', tags: ['1.4'] }, { repository: 'private/secret', tags: ['1'] }];
const open: RunningMockRegistry[] = [];
const client = createClient();
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function start(auth: Parameters<typeof startMockRegistry>[0]['auth'], clock = createManualClock()) {
  const reg = await startMockRegistry({ host: 'auth.example.com', images, auth }, { clock });
  open.push(reg);
  return reg;
}

async function token(reg: RunningMockRegistry, scope: string, auth?: string): Promise<string> {
  const r = await client.fetch(`${reg.origin}/token?service=auth.example.com&scope=${encodeURIComponent(scope)}`, { headers: auth ? { authorization: auth } : {} });
  expect(r.status).toBe(200);
  const body = JSON.parse(r.body.toString());
  expect(body.access_token).toBe(body.token);
  expect(body.expires_in).toBeGreaterThanOrEqual(60);
  return body.token;
}

describe('basic auth', () => {
  it('challenges with Basic realm and accepts the configured user only', async () => {
    const reg = await start({ type: 'basic', users: [{ username: 'ci', password: 's3cret' }], realm: 'basic-realm' });
    const none = await client.fetch(reg.url);
    expect(none.status).toBe(401);
    expect(header(none, 'www-authenticate')).toBe('Basic realm="basic-realm"');
    expect(JSON.parse(none.body.toString()).errors[0].code).toBe('UNAUTHORIZED');
    const wrong = await client.fetch(reg.url, { headers: { authorization: basic('ci', 'nope') } });
    expect(wrong.status).toBe(401);
    const ok = await client.fetch(`${reg.origin}/v2/org/app/manifests/1.4`, { headers: { authorization: basic('ci', 's3cret'), accept: ACCEPT_ALL } });
    expect(ok.status).toBe(200);
  });
});

describe('bearer auth', () => {
  it('challenges as distribution does: realm on this server, service, and the repository scope', async () => {
    const reg = await start({ type: 'bearer', users: [{ username: 'ci', password: 's3cret' }] });
    const ping = await client.fetch(reg.url);
    expect(ping.status).toBe(401);
    expect(header(ping, 'www-authenticate')).toBe(`Bearer realm="http://${reg.address}/token",service="auth.example.com"`);
    const m = await client.fetch(`${reg.origin}/v2/org/app/manifests/1.4`, { headers: { accept: ACCEPT_ALL } });
    expect(header(m, 'www-authenticate')).toBe(`Bearer realm="http://${reg.address}/token",service="auth.example.com",scope="repository:org/app:pull"`);
    expect(JSON.parse(m.body.toString()).errors[0]).toEqual({
      code: 'UNAUTHORIZED',
      message: 'authentication required',
      detail: [{ Type: 'repository', Class: '', Name: 'org/app', Action: 'pull' }],
    });
  });

  it('uses the Host header for the realm, so a host map routes the token request too', async () => {
    const reg = await start({ type: 'bearer' });
    const r = await client.fetch(reg.url, { headers: { host: 'mirror.example.com' } });
    expect(header(r, 'www-authenticate')).toContain('realm="http://mirror.example.com/token"');
  });

  it('grants a token for the requested scope and enforces it per repository', async () => {
    const reg = await start({ type: 'bearer', users: [{ username: 'ci', password: 's3cret', repositories: ['org/*'] }] });
    const t = await token(reg, 'repository:org/app:pull', basic('ci', 's3cret'));
    const ok = await client.fetch(`${reg.origin}/v2/org/app/manifests/1.4`, { headers: { authorization: `Bearer ${t}`, accept: ACCEPT_ALL } });
    expect(ok.status).toBe(200);
    const ping = await client.fetch(reg.url, { headers: { authorization: `Bearer ${t}` } });
    expect(ping.status).toBe(200);
    const other = await client.fetch(`${reg.origin}/v2/private/secret/manifests/1`, { headers: { authorization: `Bearer ${t}`, accept: ACCEPT_ALL } });
    expect(other.status).toBe(401);
    expect(header(other, 'www-authenticate')).toContain('scope="repository:private/secret:pull",error="insufficient_scope"');
    // The user may not pull private/*: the token endpoint grants nothing for it.
    const t2 = await token(reg, 'repository:private/secret:pull', basic('ci', 's3cret'));
    const denied = await client.fetch(`${reg.origin}/v2/private/secret/manifests/1`, { headers: { authorization: `Bearer ${t2}`, accept: ACCEPT_ALL } });
    expect(denied.status).toBe(401);
  });

  it('rejects wrong credentials at the token endpoint and gives anonymous tokens no access', async () => {
    const reg = await start({ type: 'bearer', users: [{ username: 'ci', password: 's3cret' }] });
    const bad = await client.fetch(`${reg.origin}/token?scope=repository:org/app:pull`, { headers: { authorization: basic('ci', 'x') } });
    expect(bad.status).toBe(401);
    const anon = await token(reg, 'repository:org/app:pull');
    const r = await client.fetch(`${reg.origin}/v2/org/app/manifests/1.4`, { headers: { authorization: `Bearer ${anon}`, accept: ACCEPT_ALL } });
    expect(r.status).toBe(401);
    expect(header(r, 'www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('lets anonymous tokens pull when the registry allows it', async () => {
    const reg = await start({ type: 'bearer', anonymous: true });
    const t = await token(reg, 'repository:org/app:pull');
    const r = await client.fetch(`${reg.origin}/v2/org/app/manifests/1.4`, { headers: { authorization: `Bearer ${t}`, accept: ACCEPT_ALL } });
    expect(r.status).toBe(200);
  });

  it('expires tokens after token-ttl on the registry clock (invalid_token)', async () => {
    const clock = createManualClock();
    const reg = await start({ type: 'bearer', anonymous: true, tokenTtl: 60 }, clock);
    const t = await token(reg, 'repository:org/app:pull');
    const url = `${reg.origin}/v2/org/app/manifests/1.4`;
    clock.advance(59_000);
    expect((await client.fetch(url, { headers: { authorization: `Bearer ${t}`, accept: ACCEPT_ALL } })).status).toBe(200);
    clock.advance(1_000);
    const late = await client.fetch(url, { headers: { authorization: `Bearer ${t}`, accept: ACCEPT_ALL } });
    expect(late.status).toBe(401);
    expect(header(late, 'www-authenticate')).toContain('error="invalid_token"');
    const forged = await client.fetch(url, { headers: { authorization: 'Bearer forged', accept: ACCEPT_ALL } });
    expect(header(forged, 'www-authenticate')).toContain('error="invalid_token"');
  });

  it('has no token endpoint without bearer auth', async () => {
    const reg = await start({ type: 'none' });
    expect((await client.fetch(`${reg.origin}/token`)).status).toBe(404);
  });
});
