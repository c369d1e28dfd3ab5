/**
 * Folds PullEvents into PullViewState. Pure: the input state is never mutated.
 * Events are folded in batches (the store commits every ~80 ms) so 1,000 images cost one
 * copy of the image table per batch, not per event.
 */
import type { AttemptEvent, AttemptStartEvent, ImageStartEvent, PullEvent, ResultEvent } from '../../../src/events/pull-events.ts';
import type { SkippedMirror } from '../../../src/resolve/resolution.ts';
import { refusalWords } from '../../../src/registry/credential-words.ts';
import type { AttemptView, ImageStatus, ImageView, PullTotals, PullViewState, SkipNote } from './pull-state.ts';

/** Folds one event. Prefer `reducePullEvents` for many. */
export function pullReducer(state: PullViewState, event: PullEvent): PullViewState {
  return reducePullEvents(state, [event]);
}

/** Folds a batch of events in order and returns the new state (or `state` itself for an empty batch). */
export function reducePullEvents(state: PullViewState, events: readonly PullEvent[]): PullViewState {
  if (events.length === 0) return state;
  const images = new Map(state.images);
  const totals: PullTotals = { ...state.totals };
  let order = state.order;
  let skips: readonly SkipNote[] = state.skips;
  let firstAt = state.firstAt;
  let lastAt = state.lastAt;
  // Rows copied in this batch may be updated in place; rows from `state` are copied first.
  const fresh = new Set<string>();

  const row = (name: string, at: number): ImageView => {
    let current = images.get(name);
    if (current === undefined) {
      current = emptyImage(name, at);
      if (order === state.order) order = [...state.order];
      order.push(name);
      totals.images += 1;
      totals.pending += 1;
    } else if (!fresh.has(name)) {
      current = { ...current, attempts: [...current.attempts] };
    }
    fresh.add(name);
    images.set(name, current);
    return current;
  };
  const setStatus = (img: ImageView, status: ImageStatus): void => {
    if (img.status === status) return;
    totals[img.status] -= 1;
    totals[status] += 1;
    img.status = status;
  };

  for (const ev of events) {
    firstAt = firstAt === null ? ev.at : Math.min(firstAt, ev.at);
    lastAt = Math.max(lastAt, ev.at);
    const img = row(ev.image, ev.at);
    switch (ev.type) {
      case 'image':
        applyImage(img, ev, setStatus);
        if (ev.skipped.length > 0) skips = addSkips(skips === state.skips ? [...skips] : (skips as SkipNote[]), ev.skipped);
        break;
      case 'attempt-start':
        applyAttemptStart(img, ev, setStatus);
        break;
      case 'attempt':
        totals.attempts += 1;
        if (ev.outcome !== 'ok') totals.failedAttempts += 1;
        applyAttempt(img, ev);
        break;
      case 'result':
        applyResult(img, ev, setStatus);
        if (ev.ok && ev.sourceIndex !== null && ev.sourceIndex > 0) totals.failedOver += 1;
        break;
    }
  }
  return { order, images, totals, skips, firstAt, lastAt };
}

/** Counts each skipped mirror once per image, grouped by location and reason (mutates `notes`, a fresh copy). */
function addSkips(notes: SkipNote[], skipped: readonly SkippedMirror[]): SkipNote[] {
  for (const s of skipped) {
    const i = notes.findIndex((n) => n.location === s.location && n.reason === s.reason);
    if (i >= 0) notes[i] = { ...notes[i]!, images: notes[i]!.images + 1 };
    else notes.push({ location: s.location, reason: s.reason, ...(s.origin ? { origin: s.origin } : {}), images: 1 });
  }
  return notes;
}

function emptyImage(image: string, at: number): ImageView {
  return {
    image,
    status: 'pending',
    normalized: null,
    registry: null,
    planned: 0,
    skipped: [],
    resolutionError: null,
    startedAt: at,
    endedAt: null,
    current: null,
    attempts: [],
    result: null,
  };
}

type SetStatus = (img: ImageView, status: ImageStatus) => void;

function applyImage(img: ImageView, ev: ImageStartEvent, setStatus: SetStatus): void {
  img.normalized = ev.normalized;
  img.registry = ev.registry;
  img.planned = ev.plan.length;
  img.skipped = ev.skipped;
  img.resolutionError = ev.error;
  img.startedAt = ev.at;
  if (ev.error !== null) {
    setStatus(img, 'failed');
    img.endedAt = ev.at;
  }
}

/** Finds the attempt for `index`, creating it when the start event was never seen. */
function attemptAt(img: ImageView, ev: AttemptStartEvent | AttemptEvent): { view: AttemptView; pos: number } {
  const pos = img.attempts.findIndex((a) => a.index === ev.index);
  if (pos >= 0) {
    const view = { ...img.attempts[pos]! };
    img.attempts[pos] = view;
    return { view, pos };
  }
  const view: AttemptView = {
    index: ev.index,
    reference: ev.reference,
    location: ev.location,
    mirror: ev.mirror,
    insecure: ev.insecure,
    outcome: 'trying',
    startedAt: null,
    durationMs: null,
    httpStatus: null,
    error: null,
    errorClass: null,
    failedStep: null,
  };
  img.attempts.push(view);
  img.attempts.sort((a, b) => a.index - b.index);
  return { view, pos: img.attempts.indexOf(view) };
}

function applyAttemptStart(img: ImageView, ev: AttemptStartEvent, setStatus: SetStatus): void {
  const { view } = attemptAt(img, ev);
  view.startedAt = ev.at;
  if (img.result === null) {
    img.current = ev.index;
    setStatus(img, 'trying');
  }
}

function applyAttempt(img: ImageView, ev: AttemptEvent): void {
  const { view } = attemptAt(img, ev);
  view.reference = ev.reference;
  view.location = ev.location;
  view.outcome = ev.outcome;
  view.durationMs = ev.durationMs;
  view.httpStatus = ev.httpStatus;
  view.error = ev.error;
  view.errorClass = ev.errorClass;
  view.failedStep = ev.steps.find((s) => !s.ok)?.step ?? null;
  const warnings = ev.notes?.filter((n) => n.startsWith('warning:')) ?? [];
  // A 401/403: which credentials were rejected, or that none were sent (never the secret).
  const refusal = refusalWords(ev);
  if (refusal) warnings.push(refusal);
  if (warnings.length) view.warnings = warnings;
  if (view.startedAt === null) view.startedAt = ev.at - ev.durationMs;
  // `current` keeps pointing at this source until the next attempt starts or the verdict arrives.
}

function applyResult(img: ImageView, ev: ResultEvent, setStatus: SetStatus): void {
  img.result = {
    source: ev.source,
    sourceIndex: ev.sourceIndex,
    digest: ev.digest,
    error: ev.error,
    errorClass: ev.errorClass,
    durationMs: ev.durationMs,
    ...(ev.missingBlobs !== undefined ? { missingBlobs: ev.missingBlobs } : {}),
    ...(ev.policy !== undefined ? { policy: ev.policy } : {}),
    ...(ev.signatures !== undefined ? { signatures: ev.signatures } : {}),
  };
  img.current = null;
  img.endedAt = ev.at;
  setStatus(img, ev.ok ? 'ok' : 'failed');
}
