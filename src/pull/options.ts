import type { RegistryClient } from '../registry/client.ts';
import type { Platform } from '../registry/manifest.ts';
import type { Policy } from '../policy/types.ts';
import type { SignatureContext } from '../signature/check-image.ts';

/** How the engine runs. Only `client` is required. */
export interface PullOptions {
  /** The registry client (it owns the dispatchers, credentials, certs and host map). */
  client: RegistryClient;
  /** Per-attempt deadline, ms (`--timeout`). Default 30 000. */
  attemptTimeoutMs?: number;
  /** Platform chosen in an index/list. Default: the host's. */
  platform?: Platform;
  /** HEAD every blob of the chosen image on the chosen source (`--check-blobs`). */
  checkBlobs?: boolean;
  /** Time origin for `at` fields (performance.now() at run start). Default: when the call began. */
  startedAt?: number;
  /** Image label used in events (default: the Resolution's `ref`). */
  image?: string;
  /**
   * containers-policy.json to judge the pulled image with (`--policy`, or rendered from OpenShift objects).
   * Judged on the logical reference, after the manifest is fetched, as copy.Image does: a rejection fails the pull.
   */
  policy?: Policy | null;
  /**
   * Verify signatures when the policy requires them for the pulled name, as the runtime does (registries.d
   * for lookaside stores and sigstore attachments). Without it, such an image is reported as needing a
   * signature that was not checked.
   */
  signatures?: SignatureContext | null;
  /**
   * containerd hosts only: CA certificates (PEM) that stand for the node's system trust store, added to the roots of
   * every https host (scenarios: the mocks' CA, as a real node trusts its mirror's public certificate).
   */
  containerdSystemCa?: string[];
}
