// Where published updates go: the organisation's delivery channels, each with the audiences it is
// for, whether it is in use, and where it delivers (secrets shown as '••••'). Add and edit in a
// dialog, turn on and off in place, remove after a confirmation.
import { useState } from 'react';
import { audienceLabels } from '@shared/domain/comms';
import type { ChannelView } from '@shared/domain/comms-api';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';
import { ConfirmRemoval } from '../library-shared/confirm-removal';
import { ChannelDialog } from './channel-dialog';
import { configSummary, kindLabels } from './channel-form';
import { useChannels } from './use-comms-data';

type Editing = { channel: ChannelView | null; isSettingSecret?: boolean } | null;

export function ChannelSettings() {
  const { value, error, isLoading, show, reload } = useChannels();
  const [editing, setEditing] = useState<Editing>(null);
  const channels = [...(value ?? [])].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <section className="panel settings-panel cs-panel" data-testid="channel-settings" aria-labelledby="channels-heading">
      <div className="cs-panel-title-row">
        <h3 id="channels-heading" className="cs-panel-head">
          Delivery channels
        </h3>
        <button type="button" className="button button-primary button-small" data-testid="add-channel" onClick={() => setEditing({ channel: null })}>
          Add channel
        </button>
      </div>
      <p className="muted small cs-panel-intro">
        Where a published update goes: a webhook, Slack, e-mail or a status page, for the audiences chosen. Updates wait in the outbox while the network is down and go
        out when it is back.
      </p>
      <p className="cs-secret-note small" data-testid="channels-secret-note">
        <strong>Secrets</strong> (addresses holding tokens, passwords, API keys, secret headers) never sync: each stays on the laptop where it was typed
        {channels[0] ? ` (on this one: ${channels[0].secret.protection})` : ''}, and only laptops holding it deliver to the channel. They are shown here as ••••.
      </p>
      {error && (
        <div className="banner banner-bad" role="alert" data-testid="channels-error">
          Could not read the delivery channels: {error}
        </div>
      )}
      {isLoading ? (
        <p className="muted">Reading the channels…</p>
      ) : channels.length === 0 ? (
        !error && (
          <p className="muted cs-empty" data-testid="channels-empty">
            No channels yet: updates can still be copied out of the war room by hand. Add one to deliver them.
          </p>
        )
      ) : (
        <ul className="cs-channels" data-testid="channel-list">
          {channels.map((channel) => (
            <ChannelRow
              key={channel.id}
              channel={channel}
              onEdit={() => setEditing({ channel })}
              onSetSecret={() => setEditing({ channel, isSettingSecret: true })}
              onSaved={(saved) => {
                show(channels.map((c) => (c.id === saved.id ? saved : c)));
                reload();
              }}
              onRemoved={show}
            />
          ))}
        </ul>
      )}
      {editing && (
        <ChannelDialog
          channel={editing.channel}
          isSettingSecret={editing.isSettingSecret}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            show([...channels.filter((c) => c.id !== saved.id), saved]);
            reload();
          }}
        />
      )}
    </section>
  );
}

interface ChannelRowProps {
  channel: ChannelView;
  onEdit: () => void;
  onSetSecret: () => void;
  onSaved: (channel: ChannelView) => void;
  onRemoved: (remaining: ChannelView[]) => void;
}

function ChannelRow({ channel, onEdit, onSetSecret, onSaved, onRemoved }: ChannelRowProps) {
  const action = useAction();
  const [isConfirming, setConfirming] = useState(false);

  // Shown as asked at once; back as it was if the engine refuses (its message says why).
  const [asked, setAsked] = useState<boolean | null>(null);
  const isEnabled = asked ?? channel.isEnabled;
  const toggle = () => {
    const next = !isEnabled;
    setAsked(next);
    void action
      .run(async () => {
        // The configuration goes back as shown: the engine keeps every secret shown as ••••.
        onSaved(await client().call('comms.saveChannel', { id: channel.id, name: channel.name, audiences: channel.audiences, isEnabled: next, config: channel.config }));
      })
      .finally(() => setAsked(null));
  };
  const forget = () =>
    void action.run(async () => {
      onSaved(await client().call('comms.forgetChannelSecret', { id: channel.id }));
    });
  const remove = () =>
    void action.run(async () => {
      onRemoved(await client().call('comms.removeChannel', { id: channel.id }));
    });

  return (
    <li className={channel.isEnabled ? 'cs-channel' : 'cs-channel is-off'} data-testid="channel-row" data-channel-id={channel.id} aria-label={channel.name}>
      <div className="cs-channel-main">
        <div className="cs-channel-head">
          <span className="cs-channel-name" data-testid="channel-name">
            {channel.name}
          </span>
          <span className={`cs-kind-badge cs-kind-${channel.kind}`} data-testid="channel-kind">
            {kindLabels[channel.kind]}
          </span>
          {!channel.isEnabled && (
            <span className="state-badge cs-off-badge" data-testid="channel-off">
              off
            </span>
          )}
          <span className="cs-channel-audiences" data-testid="channel-audiences" aria-label="For updates to">
            {channel.audiences.map((a) => (
              <span key={a} className="lib-chip">
                {audienceLabels[a]}
              </span>
            ))}
          </span>
        </div>
        <div className="cs-channel-config mono" data-testid="channel-config">
          {configSummary(channel.config).join(' · ')}
        </div>
        <SecretHolders channel={channel} isBusy={action.isBusy} onSetSecret={onSetSecret} onForget={forget} />
      </div>
      <div className="cs-channel-tools">
        <label className="field-check cs-switch" title={isEnabled ? 'Published updates go to this channel' : 'Published updates skip this channel'}>
          <input type="checkbox" role="switch" data-testid="channel-enabled" checked={isEnabled} disabled={action.isBusy} onChange={toggle} />
          {isEnabled ? 'Enabled' : 'Disabled'}
        </label>
        <button type="button" className="button button-small" data-testid="edit-channel" onClick={onEdit}>
          Edit
        </button>
        <button type="button" className="button button-small lib-remove" data-testid="remove-channel" onClick={() => setConfirming(true)}>
          Remove…
        </button>
      </div>
      {isConfirming && (
        <ConfirmRemoval className="cs-channel-confirm" testIdPrefix="remove-channel" isBusy={action.isBusy} onKeep={() => setConfirming(false)} onConfirm={remove}>
          <strong>Remove “{channel.name}”</strong> on every replica? Updates already published keep their delivery record; new ones no longer go there.
        </ConfirmRemoval>
      )}
      {action.error && (
        <p className="form-error cs-channel-error" role="alert" data-testid="channel-row-error">
          {action.error}
        </p>
      )}
    </li>
  );
}

/** Which laptops hold the channel's secret; on one that does not, how to deliver from it too. */
function SecretHolders({ channel, isBusy, onSetSecret, onForget }: { channel: ChannelView; isBusy: boolean; onSetSecret: () => void; onForget: () => void }) {
  const { holders, isHeldHere } = channel.secret;
  const names = holders.map((h) => (h.isThisLaptop ? 'this laptop' : `${h.user ?? 'someone'}’s laptop (${h.deviceId.slice(0, 6)})`));
  return (
    <div className="cs-channel-holders small" data-testid="channel-holders" data-held-here={isHeldHere ? 'yes' : 'no'}>
      <span className="muted">Secret held on: </span>
      <span data-testid="channel-holder-list">{names.length > 0 ? names.join(', ') : 'no laptop'}</span>
      {isHeldHere ? (
        <button type="button" className="button button-small button-link" data-testid="forget-channel-secret" disabled={isBusy} onClick={onForget}>
          Forget it on this laptop
        </button>
      ) : (
        <span className="cs-holder-hint" data-testid="channel-not-held">
          {' '}
          — set the secret on this laptop to deliver from here.{' '}
          <button type="button" className="button button-small" data-testid="set-channel-secret" onClick={onSetSecret}>
            Set secret here…
          </button>
        </span>
      )}
    </div>
  );
}
