/**
 * Bridges rendering to the registries.conf loader: the rendered node files as ConfigTexts, named by
 * their node paths (so messages read like the runtime's), for `resolve/pull/verify --openshift FILES`.
 */
import { crioProxyEnv } from './proxy-env.ts';
import type { ProxyEnv } from '../proxy/proxy-for-url.ts';
import { ConfigError } from '../errors.ts';
import type { ConfigText, RenderedFrom } from '../config/types.ts';
import { loadOpenShiftObjects } from './load-objects.ts';
import { renderedPolicySources, renderedProvenance, type RenderedProvenance } from './provenance.ts';
import { NODE_PATHS, renderOpenShift, type RenderOptions, type RenderResult } from './render.ts';
import { stockTemplates } from './templates.ts';
import type { OpenShiftObjects } from './types.ts';

export interface OpenShiftConfigTexts {
  main: ConfigText;
  dropins: ConfigText[];
  policyJson: string;
  /** `/etc/containers/registries.d/` as the node has it: the MCO's sigstore-registries.yaml, when written. */
  registriesD: ConfigText[];
  /** `/etc/crio/policies/<namespace>.json` (ImagePolicy): CRI-O uses one instead of policyJson for pods in that namespace. */
  namespacedPolicies: { namespace: string; path: string; json: string }[];
  render: RenderResult;
  /** Which objects each line of the rendered files came from (see attributeRenderedOrigins). */
  provenance: RenderedProvenance;
  /** What the rendered policy.json came from; its name in messages is formatRenderedFrom(policySources). */
  policySources: RenderedFrom[];
  /** CRI-O's proxy environment from proxy.config.openshift.io/cluster (src/openshift/proxy-env.ts), when there is one. */
  proxyEnv?: ProxyEnv | null;
}

/** Renders in memory; throws ConfigError (first finding, with file and key) when the MCO would refuse. */
export function openShiftToConfigTexts(objects: OpenShiftObjects, opts: RenderOptions = {}): OpenShiftConfigTexts {
  const render = renderOpenShift(objects, opts);
  const first = render.errors[0];
  if (first !== undefined) {
    const file = first.file !== undefined && first.line !== undefined ? `${first.file}:${first.line}` : first.file;
    const where = [file, first.key].filter(Boolean).join(': ');
    throw new ConfigError(`${where ? `${where}: ` : ''}${first.message}`, {
      ...(first.file ? { file: first.file } : {}),
      ...(first.line !== undefined ? { line: first.line } : {}),
      code: 'PP_ERR_OPENSHIFT_INVALID',
    });
  }
  // CRI-O's proxy variables (crio.service drop-in), from the Proxy object: not a registries file, but what the pulls go through.
  const crioProxy = crioProxyEnv(objects.proxy ?? null, objects.network ?? null, objects.infrastructure ?? null);
  if (crioProxy) render.notes.push(`proxy: CRI-O gets ${Object.keys(crioProxy.env).join(', ')} from proxy.config.openshift.io "cluster" ${crioProxy.from === 'status' ? 'status' : 'spec (status derived as the cluster-network-operator would)'} (${crioProxy.dropInPath})`, ...crioProxy.notes.map((n) => `proxy: ${n}`));
  const dropins: ConfigText[] = [];
  if (render.files.searchRegistries !== null) dropins.push({ path: NODE_PATHS.searchRegistries, text: render.files.searchRegistries });
  return {
    main: { path: NODE_PATHS.registriesConf, text: render.files.registriesConf },
    dropins,
    policyJson: render.files.policyJson,
    registriesD: render.files.sigstoreRegistries != null ? [{ path: NODE_PATHS.sigstoreRegistries, text: render.files.sigstoreRegistries }] : [],
    namespacedPolicies: render.files.namespacedPolicies ?? [],
    render,
    provenance: renderedProvenance(objects, render, opts.templates ?? stockTemplates()),
    policySources: renderedPolicySources(objects, render, opts.templates ?? stockTemplates()),
    proxyEnv: crioProxy?.env ?? null,
  };
}

/** Reads the object files and renders them (see openShiftToConfigTexts). */
export async function loadOpenShiftConfigTexts(paths: string[], opts: RenderOptions = {}): Promise<OpenShiftConfigTexts> {
  return openShiftToConfigTexts(await loadOpenShiftObjects(paths), opts);
}
