// "File in <tracker>" on an action item in the review: one button per tracker target (Jira, Linear,
// GitHub Issues); once filed, the stored link to the tracker's item, and the send's state meanwhile.
// Filing again with nothing changed sends nothing (the engine keeps one send per version). Read
// through the query layer: read again when the incident or a target changes, here or by sync.
import type { SendView } from '@shared/domain/integrations';
import { useEngineQuery } from '../../data/use-engine-query';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';

const stateWords: Record<SendView['state'], string> = {
  queued: 'queued',
  sending: 'sending',
  delivered: 'filed',
  retrying: 'will retry',
  failed: 'failed',
  acknowledged: 'acknowledged',
  resolved: 'resolved',
};

export function FileInTracker({ incidentId, actionItemId }: { incidentId: string; actionItemId: string }) {
  const targets = useEngineQuery('integrations.targets', {});
  const allSends = useEngineQuery('integrations.sends', { incidentId });
  const { error, isBusy, run } = useAction();
  // Both are needed to tell what to show: nothing until both are read.
  const trackers = targets.value && allSends.value ? targets.value.filter((t) => t.purpose === 'track' && t.isEnabled) : [];
  const sends = (allSends.value ?? []).filter((s) => s.purpose === 'track' && s.sourceId === actionItemId);
  if (trackers.length === 0) return null;
  return (
    <div className="file-in-tracker small" data-testid="file-in-tracker">
      {trackers.map((tracker) => {
        const mine = sends.filter((s) => s.targetId === tracker.id).sort((a, b) => a.requestedAt - b.requestedAt);
        const latest = mine.at(-1);
        const link = [...mine].reverse().find((s) => s.remoteUrl)?.remoteUrl ?? null;
        return (
          <span key={tracker.id} className="file-in-tracker-item" data-testid="tracker-filing" data-tracker={tracker.name}>
            {link ? (
              <a href={link} target="_blank" rel="noreferrer" data-testid="tracker-link">
                {link}
              </a>
            ) : (
              <button
                type="button"
                className="button button-small"
                data-testid="file-in-tracker-button"
                disabled={isBusy || (latest !== undefined && latest.state !== 'failed')}
                onClick={() =>
                  void run(async () => {
                    await client().call('integrations.fileActionItem', { incidentId, actionItemId, targetId: tracker.id });
                    allSends.reload();
                  })
                }
              >
                File in {tracker.name}
              </button>
            )}
            {latest && latest.state !== 'delivered' && (
              <span className={`send-state state-${latest.state}`} data-testid="tracker-state" title={latest.lastError || undefined}>
                {stateWords[latest.state]}
                {latest.lastError && `: ${latest.lastError}`}
              </span>
            )}
          </span>
        );
      })}
      {error && (
        <span className="send-error" role="alert" data-testid="file-in-tracker-error">
          {error}
        </span>
      )}
    </div>
  );
}
