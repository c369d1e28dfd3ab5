/** policy.json: strict parsing, evaluation for docker references, and Go-compatible serialization. */
export { parsePolicy } from './parse.ts';
export { loadPolicyFile, defaultPolicyPath, SYSTEM_POLICY_PATH } from './load-policy.ts';
export { evaluatePolicy, selectRequirements, policyIdentity, policyNamespaces } from './evaluate.ts';
export { serializePolicy, goString } from './serialize.ts';
export {
  parseNormalizedDockerRef,
  parseCanonicalDockerRef,
  parseDockerTransportRef,
  familiarString,
  dockerRefString,
  type DockerRef,
} from './docker-reference.ts';
export type * from './types.ts';
