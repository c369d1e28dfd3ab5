/**
 * What `pullpath diff BEFORE AFTER` reports: per image, how the pull's outcome changes between two
 * configurations; per node file, whether its bytes change; and what the MCO does on the nodes for that.
 * Pure data, produced by src/diff/ and rendered by src/report/diff-*.ts. Field names are the JSON contract.
 */
import type { PolicyDecision, SkippedMirror } from '../resolve/resolution.ts';
import type { LiveResult } from './live.ts';

/**
 * The kinds of change, also the words `--fail-on` takes. Each has a mirror image (A→B vs B→A):
 * source-added/source-removed, blocked/unblocked, insecure/secure, policy-rejected/policy-allowed,
 * error/fixed; entry, source-reordered, skipped, short-name and policy-scope are their own mirror.
 */
export type ChangeKind =
  | 'entry'
  | 'source-added'
  | 'source-removed'
  | 'source-reordered'
  | 'skipped'
  | 'blocked'
  | 'unblocked'
  | 'insecure'
  | 'secure'
  | 'short-name'
  | 'policy-rejected'
  | 'policy-allowed'
  | 'policy-scope'
  | 'error'
  | 'fixed';

export const CHANGE_KINDS: readonly ChangeKind[] = [
  'entry', 'source-added', 'source-removed', 'source-reordered', 'skipped', 'blocked', 'unblocked',
  'insecure', 'secure', 'short-name', 'policy-rejected', 'policy-allowed', 'policy-scope', 'error', 'fixed',
];

/** The kind a change becomes when BEFORE and AFTER are swapped. */
export const MIRROR_KIND: Record<ChangeKind, ChangeKind> = {
  entry: 'entry',
  'source-added': 'source-removed',
  'source-removed': 'source-added',
  'source-reordered': 'source-reordered',
  skipped: 'skipped',
  blocked: 'unblocked',
  unblocked: 'blocked',
  insecure: 'secure',
  secure: 'insecure',
  'short-name': 'short-name',
  'policy-rejected': 'policy-allowed',
  'policy-allowed': 'policy-rejected',
  'policy-scope': 'policy-scope',
  error: 'fixed',
  fixed: 'error',
};

/** The matched `[[registry]]` entry on one side, with where it was configured. */
export interface DiffEntry {
  prefix: string;
  location: string;
  blocked: boolean;
  insecure: boolean;
  mirrorByDigestOnly: boolean;
  /** file:line, or the cluster objects it was rendered from (`… (rendered)`). */
  origin: string;
}

/** One side of an image's outcome. */
export interface DiffOutcome {
  registry: DiffEntry | null;
  /** Physical references in try order. */
  sources: string[];
  skipped: SkippedMirror[];
  /** Short names only: candidate references in try order. */
  candidates?: string[];
  policy?: PolicyDecision;
  error: string | null;
}

export type SourceMark = 'same' | 'added' | 'removed' | 'reordered';

/** One source in the merged list: AFTER's order, then the sources only BEFORE had. */
export interface DiffSource {
  reference: string;
  location: string;
  mirror: boolean;
  mark: SourceMark;
  /** Where it stands on each side (1-based try position), null when absent on that side. */
  before: number | null;
  after: number | null;
  /** Per side: blocked / insecure (null when absent on that side). */
  blockedBefore: boolean | null;
  blockedAfter: boolean | null;
  insecureBefore: boolean | null;
  insecureAfter: boolean | null;
  origin?: string;
}

export interface ImageChange {
  image: string;
  normalized: string | null;
  changes: ChangeKind[];
  sources: DiffSource[];
  before: DiffOutcome;
  after: DiffOutcome;
}

/** What the MCO does on a node to apply a change of node files. */
export type NodeAction = 'none' | 'reload' | 'drain-reload' | 'restart' | 'drain-reboot';

export interface NodeFileChange {
  path: string;
  change: 'added' | 'removed' | 'modified';
  /** What the MCO does for this file alone. */
  action: NodeAction;
  /** Why, in words, with the MCO rule it follows. */
  why: string;
}

export interface NodeImpact {
  /** The release line the rules were taken for (`current` or `4.N`). */
  ocpVersion: string;
  files: NodeFileChange[];
  /** The strongest action over all files (a reboot drains too). */
  action: NodeAction;
  drain: boolean;
  reboot: boolean;
  /** Why a drain is (not) needed for registries.conf, when it changed. */
  drainWhy?: string;
}

export interface DiffResult {
  /** Images compared. */
  total: number;
  changed: ImageChange[];
  unchanged: number;
  /** true when the images were synthesized from both configurations (no --images, --release or REF). */
  synthetic: boolean;
  impact: NodeImpact | null;
  /** With `--live`: each changed image pulled through both sides (src/diff/live.ts). */
  live?: LiveResult[];
}
