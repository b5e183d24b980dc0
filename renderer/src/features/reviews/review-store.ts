// The post-incident review of the open incident as the reviewer works on it. The review and the
// incident's action items are engine data (queries, read again when the incident changes:
// data/invalidation.ts); this store keeps only what was typed and not saved yet (outside the
// components, so switching to the timeline and back finds the text as typed) and how saving went.
// Saving sends the unsaved edits (autosave a moment after the last keystroke, Ctrl/Cmd+S, or with a
// state or due-date change); edits typed while a save is on its way stay unsaved and go with the next.
import { create } from 'zustand';
import type { ActionItem, ContributingFactor, Review, ReviewState } from '@shared/domain/review';
import { engineQueries } from '../../data/query-client';
import { messageOf } from '../../lib/use-action';
import { engineKey, rereadKey, showAnswer, useEngineQuery } from '../../data/use-engine-query';
import { client } from '../../store/client-ref';

export interface ReviewEdits {
  body?: string;
  factors?: ContributingFactor[];
}

export interface ReviewSave {
  isSaving: boolean;
  error: string | null;
  savedAt: number | null;
}

interface ReviewView {
  incidentId: string | null;
  edits: ReviewEdits;
  save: ReviewSave;
  forIncident: (incidentId: string) => void;
  edit: (change: ReviewEdits) => void;
}

const noSave: ReviewSave = { isSaving: false, error: null, savedAt: null };

export const useReviewView = create<ReviewView>()((set, get) => ({
  incidentId: null,
  edits: {},
  save: noSave,
  forIncident: (incidentId) => {
    if (get().incidentId !== incidentId) set({ incidentId, edits: {}, save: noSave });
  },
  edit: (change) => set((s) => ({ edits: { ...s.edits, ...change } })),
}));

const reviewKey = (incidentId: string) => engineKey('reviews.get', { incidentId });
const actionsKey = (incidentId: string) => engineKey('actions.list', { incidentId });

export interface IncidentReview {
  /** Undefined until read; null when the incident has no review yet. */
  review: Review | null | undefined;
  actions: ActionItem[] | undefined;
  loadError: string | null;
}

/** The incident's review and action items as the engine last answered. */
export function useIncidentReview(incidentId: string): IncidentReview {
  const review = useEngineQuery('reviews.get', { incidentId });
  const actions = useEngineQuery('actions.list', { incidentId });
  return { review: review.value?.review, actions: actions.value ?? undefined, loadError: review.error ?? actions.error };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The review as the reviewer sees it: saved fields with their unsaved changes over them. */
export function withEdits(review: Review, edits: ReviewEdits): Review {
  return { ...review, ...(edits.body !== undefined ? { body: edits.body } : {}), ...(edits.factors !== undefined ? { factors: edits.factors } : {}) };
}

/** Unsaved edits that differ from the review as saved. */
export function pendingEdits(review: Review | null | undefined, edits: ReviewEdits): ReviewEdits {
  if (!review) return {};
  const pending: ReviewEdits = {};
  if (edits.body !== undefined && edits.body !== review.body) pending.body = edits.body;
  if (edits.factors !== undefined && !same([...edits.factors].sort(), [...review.factors].sort())) pending.factors = edits.factors;
  return pending;
}

const isCurrent = (incidentId: string) => useReviewView.getState().incidentId === incidentId;
const knownReview = (incidentId: string) => engineQueries().getQueryData<{ review: Review | null }>(reviewKey(incidentId))?.review;

/** Keeps the newer of two answers about the review (reads and saves may cross). */
function noteReview(incidentId: string, review: Review) {
  const known = knownReview(incidentId);
  if (known && review.updatedAt < known.updatedAt) return;
  showAnswer(reviewKey(incidentId), { review });
}

/** Reads the review and the incident's action items again (after a change made here). */
export function loadReview(incidentId: string): void {
  rereadKey(reviewKey(incidentId));
  rereadKey(actionsKey(incidentId));
}

export async function generateReview(incidentId: string): Promise<void> {
  const review = await client().call('reviews.generate', { incidentId });
  noteReview(incidentId, review);
}

let saving: Promise<void> | null = null;

/**
 * Saves what is unsaved, with a state or due-date change when given; one save at a time (a second
 * waits for the first, then sends what is still unsaved). Rejects with the engine's message.
 */
export async function saveReview(incidentId: string, change: { state?: ReviewState; dueAt?: number | null } = {}): Promise<void> {
  while (saving) await saving.catch(() => undefined);
  const { edits } = useReviewView.getState();
  const review = knownReview(incidentId);
  if (!isCurrent(incidentId) || !review) return;
  const sent = pendingEdits(review, edits);
  if (Object.keys(sent).length === 0 && Object.keys(change).length === 0) return;
  useReviewView.setState((s) => ({ save: { ...s.save, isSaving: true, error: null } }));
  const attempt = (async () => {
    try {
      const saved = await client().call('reviews.save', { incidentId, ...sent, ...change });
      noteReview(incidentId, saved);
      if (!isCurrent(incidentId)) return;
      // Drop the edits now saved; anything typed since stays unsaved.
      useReviewView.setState((s) => {
        const left: ReviewEdits = { ...s.edits };
        if (sent.body !== undefined && left.body === sent.body) delete left.body;
        if (sent.factors !== undefined && same(left.factors, sent.factors)) delete left.factors;
        return { edits: left, save: { isSaving: false, error: null, savedAt: Date.now() } };
      });
    } catch (error) {
      if (isCurrent(incidentId)) useReviewView.setState((s) => ({ save: { ...s.save, isSaving: false, error: messageOf(error) } }));
      throw error;
    }
  })();
  saving = attempt;
  try {
    await attempt;
  } finally {
    if (saving === attempt) saving = null;
  }
}
