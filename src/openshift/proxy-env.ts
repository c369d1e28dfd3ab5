/**
 * CRI-O's proxy environment from the cluster's `proxy.config.openshift.io/cluster`, as a node gets it:
 * - the cluster-network-operator fills the Proxy's *status* from its spec (status.noProxy = the user's
 *   spec.noProxy merged with entries the cluster adds itself), and
 * - the MCO copies that status into the ControllerConfig (only when the status is not empty) and writes
 *   /etc/systemd/system/crio.service.d/10-mco-default-env.conf: `Environment=HTTP_PROXY=…`, `HTTPS_PROXY=…`,
 *   `NO_PROXY=…`, each only when set (templates/common/_base/units/…crio.service.d-10-default-env.conf.yaml).
 *
 * A Proxy object with a status (as `oc get proxy cluster -o yaml` prints it) is used as is. A Proxy with a spec
 * only (a manifest) gets the status CNO would compute, from what the given objects tell (proxyconfig
 * MergeUserSystemNoProxy): 127.0.0.1, localhost, .svc, .cluster.local; the Network object's service and cluster
 * network CIDRs; the Infrastructure object's internal API host name and, on AWS/GCP/Azure/OpenStack,
 * 169.254.169.254 (AWS: the region's .compute.internal / .ec2.internal, GCP: the metadata names); the
 * install-config machine networks are not in these objects and are left out (a note says so). The set is
 * sorted (Go's sets.String.List). spec.noProxy `*` stays `*`. Pure.
 */
import type { ProxyEnv } from '../proxy/proxy-for-url.ts';
import type { ObjectOrigin } from './types.ts';

export interface ProxyFields {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

export interface ProxyObject {
  origin: ObjectOrigin;
  spec: ProxyFields;
  status: ProxyFields;
}

/** What CNO reads besides the Proxy to merge noProxy (config.openshift.io Network and Infrastructure "cluster"). */
export interface ClusterNetworkFacts {
  serviceNetwork: string[];
  clusterNetwork: string[];
}
export interface InfrastructureFacts {
  apiServerInternalURL: string;
  platformType: string;
  awsRegion: string;
}

export interface CrioProxyEnv {
  env: ProxyEnv;
  /** `status` (taken from the object) or `derived` (computed from its spec as CNO would). */
  from: 'status' | 'derived';
  /** Where the node has these variables (the drop-in's text holds the proxy URLs, credentials included: never printed). */
  dropInPath: string;
  notes: string[];
}

export const CRIO_PROXY_DROPIN = '/etc/systemd/system/crio.service.d/10-mco-default-env.conf';

const isEmpty = (f: ProxyFields): boolean => f.httpProxy === '' && f.httpsProxy === '' && f.noProxy === '';

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
}

/** status.noProxy as CNO computes it from spec and the other objects, with notes on what could not be known. */
export function mergedNoProxy(p: ProxyObject, network: ClusterNetworkFacts | null, infra: InfrastructureFacts | null): { noProxy: string; notes: string[] } {
  const notes: string[] = [];
  if (p.spec.httpProxy === '' && p.spec.httpsProxy === '' && p.spec.noProxy === '') return { noProxy: '', notes };
  if (p.spec.noProxy === '*') return { noProxy: '*', notes };
  const set = new Set<string>(['127.0.0.1', 'localhost', '.svc', '.cluster.local']);
  if (infra) {
    const h = hostnameOf(infra.apiServerInternalURL);
    if (h !== '') set.add(h);
    if (['AWS', 'GCP', 'Azure', 'OpenStack'].includes(infra.platformType)) set.add('169.254.169.254');
    if (infra.platformType === 'AWS' && infra.awsRegion !== '') set.add(infra.awsRegion === 'us-east-1' ? '.ec2.internal' : `.${infra.awsRegion}.compute.internal`);
    if (infra.platformType === 'GCP') for (const n of ['metadata', 'metadata.google.internal', 'metadata.google.internal.']) set.add(n);
  } else {
    notes.push('no Infrastructure "cluster" object: the internal API host name (api-int.…) and platform metadata entries CNO adds to noProxy are not known');
  }
  if (network) {
    for (const c of [...network.serviceNetwork, ...network.clusterNetwork]) set.add(c);
  } else {
    notes.push('no Network "cluster" object: the service and cluster network CIDRs CNO adds to noProxy are not known');
  }
  notes.push('the install-config machine network CIDRs CNO adds to noProxy are not in these objects (use the Proxy status from `oc get proxy cluster -o yaml` for the exact list)');
  for (const v of p.spec.noProxy.split(',')) if (v !== '') set.add(v);
  // Go's sets.String.List(): sorted bytewise.
  return { noProxy: [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(','), notes };
}

/** CRI-O's proxy variables on a node of this cluster, or null when the cluster has no proxy. */
export function crioProxyEnv(p: ProxyObject | null, network: ClusterNetworkFacts | null, infra: InfrastructureFacts | null): CrioProxyEnv | null {
  if (p === null) return null;
  let fields: ProxyFields;
  let from: CrioProxyEnv['from'];
  let notes: string[] = [];
  if (!isEmpty(p.status)) {
    fields = p.status;
    from = 'status';
  } else {
    const merged = mergedNoProxy(p, network, infra);
    fields = { httpProxy: p.spec.httpProxy, httpsProxy: p.spec.httpsProxy, noProxy: merged.noProxy };
    from = 'derived';
    notes = merged.notes;
  }
  // The MCO leaves the ControllerConfig's proxy unset when the status is empty: CRI-O then has no proxy variables.
  if (isEmpty(fields)) return null;
  const env: Record<string, string> = {};
  if (fields.httpProxy !== '') env.HTTP_PROXY = fields.httpProxy;
  if (fields.httpsProxy !== '') env.HTTPS_PROXY = fields.httpsProxy;
  if (fields.noProxy !== '') env.NO_PROXY = fields.noProxy;
  return { env, from, dropInPath: CRIO_PROXY_DROPIN, notes };
}
