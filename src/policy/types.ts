/**
 * containers-policy.json (5) as containers/image's `signature.Policy` holds it. Requirements keep their
 * validated JSON fields so they can be reported and re-serialized (the MCO rewrites the file).
 */
import type { JsonObject } from './strict-json.ts';

export type RequirementType = 'insecureAcceptAnything' | 'reject' | 'signedBy' | 'signedBaseLayer' | 'sigstoreSigned';

export interface PolicyRequirement {
  type: RequirementType;
  /** All fields including `type`, as validated (signedBy/sigstoreSigned get the default `signedIdentity`). */
  fields: JsonObject;
}

/** scope ("" = transport default) → requirements, in file order. */
export type PolicyTransportScopes = Map<string, PolicyRequirement[]>;

export interface Policy {
  /** Path the policy was read from (for messages), or a label such as `(rendered policy.json)`. */
  file: string;
  default: PolicyRequirement[];
  /** transport name → scopes. */
  transports: Map<string, PolicyTransportScopes>;
}

/** How the deciding scope matched the reference. */
export type ScopeMatch = 'identity' | 'repository' | 'namespace' | 'host' | 'wildcard' | 'transport-default' | 'global-default';

export type RequirementOutcome = 'accept' | 'reject' | 'requires-signature';

export interface RequirementVerdict {
  type: RequirementType;
  outcome: RequirementOutcome;
  /** e.g. `requires a valid signature (key /etc/pki/rpm-gpg/RPM-GPG-KEY-redhat-release)`. */
  detail: string;
}

export interface PolicyVerdict {
  /** The logical reference as given by the user, normalized (`docker.io/library/busybox:latest`). */
  reference: string;
  /** `docker://` + familiar form, as the runtime names the image in its messages. */
  imageName: string;
  transport: string;
  /** true: allowed; false: rejected; null: allowed only if signatures verify, which was not checked. */
  allowed: boolean | null;
  /** The policy key that decided: a scope string, `""` (transport default) or `default` (global default). */
  scope: string;
  scopeMatch: ScopeMatch;
  requirements: RequirementVerdict[];
  message: string;
}
