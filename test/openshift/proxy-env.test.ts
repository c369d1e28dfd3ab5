import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crioProxyEnv, mergedNoProxy, type ProxyObject } from '../../src/openshift/proxy-env.ts';
import { parseOpenShiftObjects } from '../../src/openshift/parse-objects.ts';
import { openShiftToConfigTexts } from '../../src/openshift/to-config-texts.ts';
import { runCli } from '../helpers/run-cli.ts';

const origin = { file: 'p.yaml', document: 0, kind: 'Proxy', name: 'cluster' };
const empty = { httpProxy: '', httpsProxy: '', noProxy: '' };
const FIXTURE = 'test/fixtures/openshift/proxy-cluster.yaml';

describe('CRI-O proxy environment from proxy.config.openshift.io/cluster', () => {
  it('a status (oc get proxy cluster -o yaml) is taken as is', () => {
    const p: ProxyObject = { origin, spec: { ...empty, httpsProxy: 'http://p:3128' }, status: { httpProxy: '', httpsProxy: 'http://p:3128', noProxy: '.svc,localhost' } };
    expect(crioProxyEnv(p, null, null)).toMatchObject({ env: { HTTPS_PROXY: 'http://p:3128', NO_PROXY: '.svc,localhost' }, from: 'status', dropInPath: '/etc/systemd/system/crio.service.d/10-mco-default-env.conf' });
  });
  it('a spec only: status.noProxy merged as CNO does (defaults, networks, api-int, platform entries, user entries; sorted)', () => {
    const p: ProxyObject = { origin, spec: { httpProxy: 'http://p:3128', httpsProxy: 'http://p:3128', noProxy: '.corp.example.com,10.0.0.0/8' }, status: empty };
    const m = mergedNoProxy(p, { serviceNetwork: ['172.30.0.0/16'], clusterNetwork: ['10.128.0.0/14'] }, { apiServerInternalURL: 'https://api-int.ocp.example.com:6443', platformType: 'AWS', awsRegion: 'us-west-2' });
    expect(m.noProxy).toBe(
      '.cluster.local,.corp.example.com,.svc,.us-west-2.compute.internal,10.0.0.0/8,10.128.0.0/14,127.0.0.1,169.254.169.254,172.30.0.0/16,api-int.ocp.example.com,localhost',
    );
    expect(m.notes.join('\n')).toMatch(/machine network/);
  });
  it('noProxy "*" stays "*"; us-east-1 is .ec2.internal; no objects: notes say what is unknown', () => {
    expect(mergedNoProxy({ origin, spec: { ...empty, httpsProxy: 'http://p', noProxy: '*' }, status: empty }, null, null).noProxy).toBe('*');
    const east = mergedNoProxy({ origin, spec: { ...empty, httpsProxy: 'http://p' }, status: empty }, null, { apiServerInternalURL: '', platformType: 'AWS', awsRegion: 'us-east-1' });
    expect(east.noProxy.split(',')).toContain('.ec2.internal');
    const none = mergedNoProxy({ origin, spec: { ...empty, httpsProxy: 'http://p' }, status: empty }, null, null);
    expect(none.noProxy).toBe('.cluster.local,.svc,127.0.0.1,localhost');
    expect(none.notes.join('\n')).toMatch(/no Network "cluster" object/);
  });
  it('an empty Proxy gives CRI-O no variables (the MCO leaves them out)', () => {
    expect(crioProxyEnv({ origin, spec: empty, status: empty }, null, null)).toBeNull();
    expect(crioProxyEnv(null, null, null)).toBeNull();
  });
  it('objects read from YAML: the rendered setup carries the proxy environment', () => {
    const objects = parseOpenShiftObjects([{ path: FIXTURE, text: readFileSync(FIXTURE, 'utf8') }]);
    const texts = openShiftToConfigTexts(objects);
    expect(texts.proxyEnv).toEqual({
      HTTP_PROXY: 'http://proxy.corp.example.com:3128',
      HTTPS_PROXY: 'http://proxyuser:proxy-fixture-pw@proxy.corp.example.com:3128',
      NO_PROXY:
        '.cluster.local,.corp.example.com,.svc,.us-west-2.compute.internal,10.0.0.0/8,10.128.0.0/14,127.0.0.1,169.254.169.254,172.30.0.0/16,api-int.ocp.example.com,localhost',
    });
  });
  it('resolve --openshift: the mirror inside noProxy is direct, the source goes through the cluster proxy; no credential shown', async () => {
    // The process environment's own proxy variables must not leak in: the cluster's object decides.
    const env = { ...process.env, HTTPS_PROXY: 'http://laptop-proxy:1', NO_PROXY: '' };
    const r = await runCli(['resolve', '--openshift', FIXTURE, 'quay.io/org/app@sha256:' + 'a'.repeat(64)], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/mirror\.corp\.example\.com:5000\/org\/app@sha256:a+ {2}\(mirror\)\n.*\n\s+proxy: direct \(NO_PROXY entry `\.corp\.example\.com`\)/);
    expect(r.stdout).toMatch(/quay\.io\/org\/app@sha256:a+ {2}\(primary\)\n.*\n\s+proxy: via http:\/\/\*\*\*@proxy\.corp\.example\.com:3128 \(HTTPS_PROXY\)/);
    expect(r.stdout + r.stderr).not.toContain('proxy-fixture-pw');
    expect(r.stdout).not.toContain('laptop-proxy');
  });
});
