/**
 * The diff engine: every image resolved under BEFORE and under AFTER (policy judged on each side when the
 * side has one), compared; the node files of both sides compared by bytes, and the MCO's action for them.
 * Pure: configurations, policies, node files and image names in; a DiffResult out.
 */
import type { RegistriesConfig } from '../config/types.ts';
import { judgeResolution } from '../policy/judge-resolution.ts';
import type { Policy } from '../policy/types.ts';
import { compileConfig, resolveArg } from '../resolve/index.ts';
import { compareResolutions } from './compare-resolutions.ts';
import { nodeImpact } from './mco-impact.ts';
import { syntheticImages } from './synthetic-images.ts';
import type { DiffResult, ImageChange } from './types.ts';
import type { Resolution } from '../resolve/resolution.ts';

/** One configuration as the diff sees it. */
export interface DiffSide {
  config: RegistriesConfig;
  policy: Policy | null;
  /** Node path → bytes (null: the side says the file is absent); only paths the side manages. */
  nodeFiles: ReadonlyMap<string, string | null>;
  /**
   * Set when `config` was loaded from exactly the node registries.conf in `nodeFiles` and nothing else (no
   * drop-ins): the MCO impact then reuses it instead of parsing the file again.
   */
  configIsNodeRegistriesConf?: boolean;
  /** --runtime containerd sides (hosts.toml trees): how this side resolves, instead of `config`. */
  resolve?: (image: string) => Resolution;
  /** Synthetic references this side adds when no images are given (a hosts.toml side has no prefixes in `config`). */
  syntheticImages?: readonly string[];
}

export interface DiffInput {
  before: DiffSide;
  after: DiffSide;
  /** The images to compare; empty → a synthetic set covering both configurations. */
  images: readonly string[];
  /** The release line for the node impact (`current` or `4.N`). */
  ocpVersion: string;
}

export function runDiff(input: DiffInput): DiffResult {
  const synthetic = input.images.length === 0;
  const images = synthetic
    ? [...syntheticImages(input.before.config, input.after.config), ...(input.before.syntheticImages ?? []), ...(input.after.syntheticImages ?? [])]
    : input.images;
  const cb = compileConfig(input.before.config);
  const ca = compileConfig(input.after.config);
  // Verdicts are compared only when both sides have a policy: one side's verdict against nothing says
  // nothing about the change (a node without policy.json refuses every pull anyway).
  const bp = input.before.policy;
  const ap = input.after.policy;
  const changed: ImageChange[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (const image of images) {
    // A list that names an image twice compares it once.
    if (seen.has(image)) continue;
    seen.add(image);
    total++;
    let b = input.before.resolve ? input.before.resolve(image) : resolveArg(cb, image);
    let a = input.after.resolve ? input.after.resolve(image) : resolveArg(ca, image);
    if (bp !== null && ap !== null) {
      b = judgeResolution(bp, b);
      a = judgeResolution(ap, a);
    }
    const c = compareResolutions(image, b, a);
    if (c !== null) changed.push(c);
  }
  return {
    total,
    changed,
    unchanged: total - changed.length,
    synthetic,
    impact: nodeImpact(input.before.nodeFiles, input.after.nodeFiles, input.ocpVersion, {
      before: input.before.configIsNodeRegistriesConf === true ? input.before.config : undefined,
      after: input.after.configIsNodeRegistriesConf === true ? input.after.config : undefined,
    }),
  };
}
