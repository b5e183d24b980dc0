// Settings: what this replica is and where its data lives, and the organisation's settings every
// replica shares (severity levels, stakeholder updates, how long closed incidents are kept).
import { useStore } from '../../store';
import { StakeholderSettings } from '../comms-settings/stakeholder-settings';
import { IntegrationSettings } from '../integrations/integration-settings';
import { PageHeader } from '../shell/page-header';
import { SyncSettings } from '../sync/sync-settings';
import { NotificationSettings } from './notification-settings';
import { ReplicaScopeSettings } from './replica-scope-settings';
import { RetentionSettings } from './retention-settings';
import { SeveritySettings } from './severity-settings';

export function SettingsPage() {
  const info = useStore((s) => s.appInfo);
  return (
    <>
      <PageHeader title="Settings" subtitle="This replica and how it is hosted, and what the organisation shares." />
      <section className="panel settings-panel">
        <h2>This replica</h2>
        {info ? (
          <dl className="facts" data-testid="app-info">
            <dt>Version</dt>
            <dd>{info.version}</dd>
            <dt>Running as</dt>
            <dd>{info.host === 'desktop' ? 'Desktop app' : 'holdfast web (browser)'}</dd>
            <dt>Data folder</dt>
            <dd>
              <code>{info.dataDir}</code>
            </dd>
            <dt>Schema version</dt>
            <dd>{info.schemaVersion}</dd>
            <dt>Writes as</dt>
            <dd>{info.actorId}</dd>
            <dt>Device</dt>
            <dd>
              <code>{info.deviceId}</code>
            </dd>
          </dl>
        ) : (
          <p>Loading…</p>
        )}
      </section>
      <SyncSettings />
      <ReplicaScopeSettings />
      <SeveritySettings />
      <StakeholderSettings />
      <IntegrationSettings />
      <RetentionSettings />
      <NotificationSettings />
    </>
  );
}
