// The comms lead's calls: start, save (one save of a draft at a time, whatever asks for it: the
// autosave, Ctrl+S, or a button that needs the text saved first), request approval, decide,
// publish, discard and retry a delivery. Each puts what the engine returned into the room at once;
// the `incidents.changed` that follows reads the whole room again.
import type { PublishedUpdate, UpdateDraft } from '@shared/domain/comms-api';
import type { Audience } from '@shared/domain/comms';
import { client } from '../../store/client-ref';
import { noteDraft, openDraft, rereadComms } from '../war-room/war-room-queries';
import { hasEdits, useCommsView, type DraftEdits } from './comms-view-store';
import { allFindings } from './draft-findings';

const saving = new Map<string, Promise<void>>();

const draftOf = openDraft;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Saves what was typed into a draft, if anything. Waits for a save already under way, then saves
 * whatever is still unsaved. Throws the engine's refusal (also kept for the composer to show).
 */
export async function saveDraft(updateId: string): Promise<void> {
  for (let running = saving.get(updateId); running; running = saving.get(updateId)) await running.catch(() => undefined);
  const view = useCommsView.getState();
  const edits = view.edits[updateId];
  const draft = draftOf(updateId);
  if (!hasEdits(edits) || !draft) return;
  const sent: DraftEdits = { ...edits };
  // Values go whole: what was saved with what was typed over it.
  if (sent.values) sent.values = { ...draft.values, ...sent.values };
  const job = (async () => {
    view.noteSave(updateId, { isSaving: true, error: null });
    try {
      const saved = await client().call('comms.save', { incidentId: draft.incidentId, updateId, ...sent });
      noteDraft(saved);
      useCommsView.getState().settle(updateId, { ...edits });
      useCommsView.getState().noteSave(updateId, { isSaving: false, error: null, savedAt: Date.now() });
    } catch (error) {
      useCommsView.getState().noteSave(updateId, { isSaving: false, error: message(error) });
      throw error;
    }
  })();
  saving.set(updateId, job);
  try {
    await job;
  } finally {
    if (saving.get(updateId) === job) saving.delete(updateId);
  }
}

/** Starts an update for an audience (from its last published update, or from a template) and opens it. */
export async function startUpdate(incidentId: string, audience: Audience, templateId?: string): Promise<UpdateDraft> {
  const draft = await client().call('comms.start', templateId ? { incidentId, audience, templateId } : { incidentId, audience });
  noteDraft(draft);
  useCommsView.getState().setOpenDraft(audience, draft.id);
  return draft;
}

export async function requestApproval(draft: UpdateDraft, approver: string | null): Promise<void> {
  await saveDraft(draft.id);
  noteDraft(await client().call('comms.requestApproval', { incidentId: draft.incidentId, updateId: draft.id, approver }));
}

export async function decide(draft: UpdateDraft, decision: 'approve' | 'reject', comment: string): Promise<void> {
  noteDraft(await client().call('comms.decide', { incidentId: draft.incidentId, updateId: draft.id, decision, comment, digest: draft.digest }));
}

export async function publish(draft: UpdateDraft, acknowledgeLint: boolean): Promise<PublishedUpdate> {
  await saveDraft(draft.id);
  const published = await client().call('comms.publish', { incidentId: draft.incidentId, updateId: draft.id, acknowledgeLint });
  useCommsView.getState().forget(draft.id);
  void rereadComms(draft.incidentId);
  return published;
}

/**
 * A Publish click: saves what was typed first (an autosave may still be pending), then, on the draft
 * as saved, publishes, or answers 'confirm' when the lint found something the author has not yet
 * said they read. Throws the reason publishing is refused, as the engine gives it.
 */
export async function publishClicked(updateId: string, acknowledgeLint: boolean): Promise<'published' | 'confirm'> {
  await saveDraft(updateId);
  const draft = draftOf(updateId);
  if (!draft) throw new Error('This draft is no longer open: it was published or discarded meanwhile (see the history).');
  if (draft.publishRefusal) throw new Error(draft.publishRefusal);
  if (!acknowledgeLint && allFindings(draft).length > 0) return 'confirm';
  await publish(draft, acknowledgeLint);
  return 'published';
}

export async function discard(draft: UpdateDraft): Promise<void> {
  const discarded = await client().call('comms.discard', { incidentId: draft.incidentId, updateId: draft.id });
  useCommsView.getState().forget(draft.id);
  noteDraft(discarded);
}

export async function retryDelivery(update: PublishedUpdate, channelId: string): Promise<void> {
  await client().call('comms.retry', { incidentId: update.incidentId, updateId: update.updateId, channelId });
  void rereadComms(update.incidentId);
}
