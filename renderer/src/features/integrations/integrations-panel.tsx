// The war room's Paging & integrations panel: each page, chat post and filed action item per target
// with its state (queued, sending, delivered, retrying with when, failed with its error) and a retry,
// the "Page a team" button, and the incident's opt-in chat mirror per chat target. Read through the
// query layer: read again when the incident or a target changes (here or by sync), and after an action here.
import { useState } from 'react';
import type { SendView } from '@shared/domain/integrations';
import { useEngineQuery } from '../../data/use-engine-query';
import { messageOf } from '../../lib/use-action';
import { localWhen } from '../../lib/time';
import { client } from '../../store/client-ref';
import { openPageDialog } from './page-actions';
import './integrations.css';

const mirroredKinds = ['decision', 'action', 'comms', 'system'] as const;
const stateWords: Record<SendView['state'], string> = {
  queued: 'queued',
  sending: 'sending',
  delivered: 'delivered',
  retrying: 'will retry',
  failed: 'failed',
  acknowledged: 'acknowledged',
  resolved: 'resolved',
};
const purposeWords: Record<SendView['purpose'], string> = { page: 'Page', mirror: 'Chat', track: 'Tracker' };

export function IntegrationsPanel({ incidentId, services }: { incidentId: string; services: string[] }) {
  const sendsRead = useEngineQuery('integrations.sends', { incidentId });
  const mirrorsRead = useEngineQuery('integrations.mirrors', { incidentId });
  const targetsRead = useEngineQuery('integrations.targets', {});
  const sends = sendsRead.value ?? [];
  const mirrors = mirrorsRead.value ?? [];
  const targets = targetsRead.value ?? [];
  const [actionError, setActionError] = useState<string | null>(null);
  const error = actionError ?? sendsRead.error ?? mirrorsRead.error ?? targetsRead.error;
  const act = (promise: Promise<unknown>) =>
    void promise.then(
      () => {
        setActionError(null);
        sendsRead.reload();
        mirrorsRead.reload();
        targetsRead.reload();
      },
      (e: unknown) => setActionError(messageOf(e)),
    );
  const chatTargets = targets.filter((t) => t.purpose === 'mirror');

  return (
    <section className="panel side-panel integrations-panel" aria-labelledby="integrations-heading" data-testid="integrations-panel">
      <h2 id="integrations-heading">Paging &amp; integrations</h2>
      <button type="button" className="button button-small" data-testid="page-team" onClick={() => act(openPageDialog(incidentId, services))}>
        Page a team…
      </button>
      {error && <p className="form-error">{error}</p>}
      {sends.length > 0 && (
        <ul className="integration-sends" aria-label="Sends per target">
          {sends.map((send) => (
            <li key={send.rowId} className={`integration-send send-${send.state}`} data-testid="integration-send">
              <div>
                <strong>{purposeWords[send.purpose]}</strong> → {send.targetName} <span className={`send-state state-${send.state}`}>{stateWords[send.state]}</span>
              </div>
              <div className="muted small">
                {send.title}
                {['delivered', 'acknowledged', 'resolved'].includes(send.state) && send.detail && ` · ${send.detail}`}
                {send.state === 'retrying' && send.nextAttemptAt !== null && ` · next try ${localWhen(send.nextAttemptAt)}`}
                {send.remoteUrl && (
                  <>
                    {' · '}
                    <a href={send.remoteUrl} target="_blank" rel="noreferrer">
                      {send.remoteId ?? 'open'}
                    </a>
                  </>
                )}
              </div>
              {send.lastError && send.state !== 'delivered' && (
                <div className="send-error small" role="status">
                  {send.lastError}
                </div>
              )}
              {(send.state === 'failed' || send.state === 'retrying') && (
                <button type="button" className="link-button small" onClick={() => act(client().call('integrations.retry', { rowId: send.rowId }))}>
                  Retry now
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {chatTargets.length > 0 && (
        <fieldset className="integration-mirrors">
          <legend className="small">Mirror this incident to chat</legend>
          {chatTargets.map((target) => {
            const mirror = mirrors.find((m) => m.targetId === target.id);
            const isOn = mirror?.isEnabled ?? false;
            return (
              <label key={target.id} className="small">
                <input
                  type="checkbox"
                  checked={isOn}
                  data-testid={`mirror-${target.id}`}
                  onChange={(event) =>
                    act(
                      client().call('integrations.setMirror', {
                        incidentId,
                        targetId: target.id,
                        kinds: mirror?.kinds.length ? (mirror.kinds as (typeof mirroredKinds)[number][]) : [...mirroredKinds],
                        internalUpdates: true,
                        isEnabled: event.target.checked,
                      }),
                    )
                  }
                />{' '}
                {target.name} <span className="muted">(decisions, actions, comms, automatic entries and internal updates)</span>
              </label>
            );
          })}
        </fieldset>
      )}
    </section>
  );
}
