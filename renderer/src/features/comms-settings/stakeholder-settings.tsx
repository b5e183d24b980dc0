// Settings → Stakeholder updates: the organisation's rules for updates to responders, executives and
// customers. Stored in the org stream (cadence, approval, wording checks) and the comms stream
// (delivery channels, secrets included), so every replica applies the same ones. Only commanders may
// change them on the central service; whatever the engine refuses is shown as it says it.
import { useEngineQuery } from '../../data/use-engine-query';
import { ApprovalSettings } from './approval-settings';
import { CadenceSettings } from './cadence-settings';
import { ChannelSettings } from './channel-settings';
import { useCommsSettings } from './use-comms-data';
// Chips, confirmations and field problems look as they do in the library.
import '../library-shared/library-shared.css';
import './comms-settings.css';

export function StakeholderSettings() {
  const { value: settings, error, show } = useCommsSettings();
  const meanings = useEngineQuery('org.severityMeanings', {}).value;

  return (
    <section className="cs-settings" data-testid="stakeholder-settings" aria-labelledby="stakeholder-heading">
      <header className="cs-settings-head">
        <h2 id="stakeholder-heading">Stakeholder updates</h2>
        <p className="muted small">
          How often each audience hears about an incident, who approves what they read, and where updates are delivered. The templates are in the Library.
        </p>
      </header>
      {error && (
        <div className="banner banner-bad" role="alert" data-testid="comms-settings-error">
          Could not read the stakeholder update settings: {error}
        </div>
      )}
      {settings ? (
        <div className="cs-settings-grid">
          <CadenceSettings settings={settings} severityMeanings={meanings} onSaved={show} />
          <ApprovalSettings settings={settings} onSaved={show} />
        </div>
      ) : (
        !error && <p className="muted">Reading the settings…</p>
      )}
      <ChannelSettings />
    </section>
  );
}
