/**
 * The registries.conf data the MCO edits: containers/image's `V2RegistriesConf` as Go holds it, *before*
 * any post-processing (no prefix defaulting, no sorting), because that raw form is what gets encoded.
 * Field order here is the struct order, which is the order the TOML encoder writes keys in.
 */

/** `sysregistriesv2.Endpoint` (used for a registry's own location and for each mirror). */
export interface NodeEndpoint {
  location: string;
  insecure: boolean;
  /** '' | 'digest-only' | 'tag-only' | 'all' (written only when non-empty). */
  pullFromMirror: string;
}

/** `sysregistriesv2.Registry`. */
export interface NodeRegistry extends NodeEndpoint {
  prefix: string;
  mirrors: NodeEndpoint[];
  blocked: boolean;
  mirrorByDigestOnly: boolean;
}

/** `sysregistriesv2.V2RegistriesConf`; `null` stands for a Go nil slice/map (not written at all). */
export interface NodeRegistriesConf {
  registries: NodeRegistry[] | null;
  unqualifiedSearchRegistries: string[] | null;
  credentialHelpers: string[] | null;
  shortNameMode: string;
  additionalLayerStoreAuthHelper: string;
  aliases: Map<string, string> | null;
}

export function emptyNodeConf(): NodeRegistriesConf {
  return {
    registries: null,
    unqualifiedSearchRegistries: null,
    credentialHelpers: null,
    shortNameMode: '',
    additionalLayerStoreAuthHelper: '',
    aliases: null,
  };
}

export function newRegistry(fields: Partial<NodeRegistry>): NodeRegistry {
  return {
    prefix: '',
    location: '',
    insecure: false,
    pullFromMirror: '',
    mirrors: [],
    blocked: false,
    mirrorByDigestOnly: false,
    ...fields,
  };
}
