// The comms lead's workspace in the war room: where deliveries stand (the outbox), the update
// clocks of the three audiences (which are also the audience tabs), and for the audience chosen
// its draft (start one from the last published update or a template, compose, approve, publish)
// or its history. Everything comes from one `comms.room` read (war-room/war-room-queries), read
// again on every change of the incident, its channels and templates, and when a clock turns due
// (data/invalidation.ts).
import { useEffect, useState } from 'react';
import type { CommsRoom, UpdateDraft } from '@shared/domain/comms-api';
import { audienceLabels, type Audience } from '@shared/domain/comms';
import { useAction } from '../../lib/use-action';
import { useEngineQuery } from '../../data/use-engine-query';
import { usePeople } from '../war-room/use-people';
import { useCommsRoom } from '../war-room/war-room-queries';
import { CadenceStrip } from './cadence-strip';
import { startUpdate } from './comms-actions';
import { useCommsView } from './comms-view-store';
import { Composer, useAudienceCadence } from './composer';
import { updateStateLabels } from './labels';
import { UpdateHistory } from './update-history';
import './comms.css';

/** The updates pane's view state belongs to one incident. */
export function useCommsUpdates(incidentId: string) {
  useEffect(() => useCommsView.getState().forIncident(incidentId), [incidentId]);
}

export function CommsPanel({ incidentId }: { incidentId: string }) {
  const { value: comms, error: commsError } = useCommsRoom(incidentId);

  return (
    <section className="comms-workspace" aria-label="Stakeholder updates" data-testid="comms-panel">
      {commsError && (
        <p className="form-error" role="alert" data-testid="comms-load-error">
          Stakeholder updates could not be read: {commsError}
        </p>
      )}
      {!comms ? (
        !commsError && <p className="muted">Reading the updates…</p>
      ) : (
        <>
          <OutboxLine room={comms} />
          <CadenceStrip room={comms} />
          <AudiencePane room={comms} />
        </>
      )}
    </section>
  );
}

function OutboxLine({ room }: { room: CommsRoom }) {
  const { outbox } = room;
  if (outbox.waiting) {
    return (
      <p className="outbox outbox-waiting small" role="status" data-testid="outbox" data-waiting="true">
        <strong>Deliveries wait:</strong> {outbox.waiting}
        {!outbox.canDeliver && ' This replica holds no channel secrets, so another replica sends them.'}
      </p>
    );
  }
  if (room.channels.length === 0) {
    return (
      <p className="outbox muted small" data-testid="outbox" data-waiting="false">
        No delivery channel is set up: published updates go on the timeline and are copied out from the history. Commanders and comms leads add channels in Settings.
      </p>
    );
  }
  return (
    <p className="outbox muted small" data-testid="outbox" data-waiting="false">
      Deliveries are coordinated by {outbox.coordinator};{' '}
      {outbox.canDeliver ? 'this replica can deliver them.' : 'this replica holds no channel secrets, so another replica delivers them.'}
    </p>
  );
}

function AudiencePane({ room }: { room: CommsRoom }) {
  const audience = useCommsView((s) => s.audience);
  const section = useCommsView((s) => s.section);
  const setSection = useCommsView((s) => s.setSection);
  const openId = useCommsView((s) => s.openDraft[audience]);
  const setOpenDraft = useCommsView((s) => s.setOpenDraft);
  const published = room.published.filter((p) => p.audience === audience);
  const drafts = room.drafts.filter((d) => d.audience === audience);
  const draft = drafts.find((d) => d.id === openId) ?? drafts[0];
  const label = audienceLabels[audience];

  return (
    <div className="audience-pane" role="tabpanel" aria-label={label} data-testid="audience-pane" data-audience={audience}>
      <div className="audience-bar">
        <div className="tabs audience-sections" role="tablist" aria-label={`${label}: draft or history`}>
          <button type="button" role="tab" className="tab" aria-selected={section === 'draft'} data-testid="section-draft" onClick={() => setSection('draft')}>
            Draft{drafts.length > 1 && <span className="muted small"> {drafts.length}</span>}
          </button>
          <button type="button" role="tab" className="tab" aria-selected={section === 'history'} data-testid="section-history" onClick={() => setSection('history')}>
            History <span className="muted small">{published.length}</span>
          </button>
        </div>
        {section === 'draft' && drafts.length > 1 && (
          <label className="draft-picker small">
            <span className="muted">Open draft</span>
            <select className="compact-control" data-testid="draft-picker" value={draft?.id} onChange={(e) => setOpenDraft(audience, e.target.value)}>
              {drafts.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.rendered.title || '(no title)'} · {updateStateLabels[d.state].toLowerCase()} · {d.author}
                </option>
              ))}
            </select>
          </label>
        )}
        {section === 'draft' && draft && <StartUpdate incidentId={room.incidentId} audience={audience} hasDraft hasPublished={published.length > 0} />}
      </div>
      {section === 'draft' ? (
        <DraftSection room={room} audience={audience} draft={draft} hasPublished={published.length > 0} />
      ) : (
        <UpdateHistory updates={published} audienceLabel={label} />
      )}
    </div>
  );
}

function DraftSection({ room, audience, draft, hasPublished }: { room: CommsRoom; audience: Audience; draft: UpdateDraft | undefined; hasPublished: boolean }) {
  const cadence = useAudienceCadence(audience);
  const people = usePeople();
  if (draft) return <Composer key={draft.id} draft={draft} cadence={cadence} channels={room.channels} people={people} />;
  return (
    <div className="draft-empty" data-testid="draft-empty">
      <p className="muted">
        No draft for {audienceLabels[audience].toLowerCase()}.{' '}
        {hasPublished ? 'A new update starts from the last one published, so you change only what moved on.' : 'A new update starts from the template for this audience.'}
      </p>
      <StartUpdate incidentId={room.incidentId} audience={audience} hasDraft={false} hasPublished={hasPublished} />
    </div>
  );
}

/** "New update" (from the last published update, or the audience's template) and "Start from a template". */
function StartUpdate({ incidentId, audience, hasDraft, hasPublished }: { incidentId: string; audience: Audience; hasDraft: boolean; hasPublished: boolean }) {
  // The library's templates, read again when the library changes (data/invalidation.ts).
  const templates = useEngineQuery('comms.templates', {}, { readOnMount: false }).value;
  const [templateId, setTemplateId] = useState('');
  const { error, isBusy, run } = useAction();

  const forAudience = (templates ?? []).filter((t) => t.audience === audience);
  const start = (id?: string) =>
    void run(async () => {
      await startUpdate(incidentId, audience, id);
    });

  return (
    <div className="start-update">
      {!hasDraft && (
        <button
          type="button"
          className="button button-primary"
          data-testid="comms-new"
          disabled={isBusy}
          onClick={() => start()}
          title={hasPublished ? 'Starts from the last published update' : 'Starts from the template'}
        >
          New {audienceLabels[audience].toLowerCase()} update
        </button>
      )}
      <label className="template-picker small">
        <span className="muted">{hasDraft ? 'New draft from a template' : 'or from a template'}</span>
        <select className="compact-control" data-testid="template-picker" value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
          <option value="">Choose…</option>
          {forAudience.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
              {t.isCustomised ? ' (customised)' : ''}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button button-small" data-testid="template-start" disabled={isBusy || templateId === ''} onClick={() => start(templateId)}>
        Start
      </button>
      {error && (
        <p className="form-error" role="alert" data-testid="start-error">
          {error}
        </p>
      )}
    </div>
  );
}
