/**
 * Probe data: what one probe of one endpoint found, and the endpoint list it runs over.
 * Pure data shared by the prober, the health tracker, the reports (text, JSON Lines, Prometheus) and the TUI.
 */
import type { ErrorClass } from '../events/pull-events.ts';
import type { ContainerdEndpoint } from '../containerd/endpoint.ts';

export type ProbeStepName = 'ping' | 'manifest' | 'blob';

/** One step of a probe. A step that was not run (no canary, blob check off) is absent. */
export interface ProbeStep {
  step: ProbeStepName;
  ok: boolean;
  durationMs: number;
  httpStatus: number | null;
  errorClass: ErrorClass | null;
  /** The error in words, or a note ("Range ignored: 200 instead of 206"). No credentials, ever. */
  error: string | null;
  detail?: string;
  /** Manifest step: the digest the endpoint announced. */
  digest?: string | null;
}

/** One probe of one endpoint: the three steps in order; a failed step stops the probe. */
export interface ProbeOutcome {
  endpoint: string;
  /** ms since the probe run started. */
  atMs: number;
  ok: boolean;
  steps: ProbeStep[];
}

/** An endpoint the config can send pulls to. */
export interface ProbeEndpoint {
  /** The location as configured: `host[:port][/path]`. The identity of the endpoint in every output. */
  location: string;
  /** Registry host (`host[:port]`): what is dialled (through the host map). */
  host: string;
  insecure: boolean;
  /** 'mirror' of some prefix, or the 'primary' location of a `[[registry]]` (or of an unconfigured image). */
  role: 'mirror' | 'primary';
  /** The `[[registry]]` prefixes this endpoint serves. */
  prefixes: string[];
  /** pull-from-mirror or mirror-by-digest-only, for mirrors ("" when unset). */
  pullFromMirror: string;
  /** Where it is configured ("file:line"), if known. */
  origin: string | null;
  /** The physical reference of the canary image on this endpoint, when there is one. */
  canary: string | null;
  /** `--runtime containerd`: the host as containerd contacts it; the probe then asks what containerd asks. */
  containerd?: ContainerdEndpoint;
}

/** An endpoint present in the config but never contacted, with the reason. */
export interface SkippedEndpoint {
  location: string;
  reason: string;
  origin: string | null;
}

export type HealthState = 'unknown' | 'up' | 'degraded' | 'down';
