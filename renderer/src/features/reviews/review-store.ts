// The post-incident review of the open incident as the reviewer works on it: the review and action
// items as the engine last answered, what was typed and not saved yet (kept outside the components,
// so switching to the timeline and back finds the text as typed), and how saving went. Saving
// sends the unsaved edits (autosave a moment after the last keystroke, Ctrl/Cmd+S, or with a state
// or due-date change); edits typed while a save is on its way stay unsaved and go with the next.
import { create } from 'zustand';
import type { ActionItem, ContributingFactor, Review, ReviewState } from '@shared/domain/review';
import { messageOf } from '../../lib/use-action';
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
  /** Undefined until read; null when the incident has no review yet. */
  review: Review | null | undefined;
  actions: ActionItem[] | undefined;
  loadError: string | null;
  edits: ReviewEdits;
  save: ReviewSave;
  forIncident: (incidentId: string) => void;
  edit: (change: ReviewEdits) => void;
}

const noSave: ReviewSave = { isSaving: false, error: null, savedAt: null };

export const useReviewView = create<ReviewView>()((set, get) => ({
  incidentId: null,
  review: undefined,
  actions: undefined,
  loadError: null,
  edits: {},
  save: noSave,
  forIncident: (incidentId) => {
    if (get().incidentId !== incidentId) set({ incidentId, review: undefined, actions: undefined, loadError: null, edits: {}, save: noSave });
  },
  edit: (change) => set((s) => ({ edits: { ...s.edits, ...change } })),
}));

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

/** Keeps the newer of two answers about the review (reads and saves may cross). */
function noteReview(incidentId: string, review: Review | null) {
  if (!isCurrent(incidentId)) return;
  const known = useReviewView.getState().review;
  if (review && known && review.updatedAt < known.updatedAt) return;
  useReviewView.setState({ review, loadError: null });
}

let actionReads = 0;

/** Reads the review and the incident's action items again (after any change of the incident). */
export async function loadReview(incidentId: string): Promise<void> {
  const read = ++actionReads;
  try {
    const [{ review }, actions] = await Promise.all([client().call('reviews.get', { incidentId }), client().call('actions.list', { incidentId })]);
    noteReview(incidentId, review);
    if (isCurrent(incidentId) && read === actionReads) useReviewView.setState({ actions });
  } catch (error) {
    if (isCurrent(incidentId)) useReviewView.setState({ loadError: messageOf(error) });
  }
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
  const { review, edits } = useReviewView.getState();
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
