// Settings: how this replica is trusted. Standalone (never connected: it signs its entries with its
// own key and judges nothing), or certified by the organisation (its user, role and certificate
// expiry) or a guest of a war-room hub; with the fingerprint of the organisation key it pinned, to
// compare out of band with what `holdfast server org-key show` prints.
import { localTime, utcTime } from '../../lib/time';
import { useTrustStatus, type TrustStatus } from '../../lib/use-may-write';

const modeLabels: Record<TrustStatus['mode'], string> = {
  standalone: 'Standalone: not connected to a service yet; entries are signed by this computer only and nothing is checked',
  certified: "Certified by the organisation: every entry is signed under this computer's certificate and checked everywhere",
  guest: 'Guest of a war room: you may write timeline notes only, shown to everyone as unverified (named by yourself)',
};

export function TrustPanel() {
  const status = useTrustStatus();
  return (
    <section className="panel settings-panel" data-testid="trust-panel">
      <h2>Trust</h2>
      {status === null ? (
        <p className="muted">Reading…</p>
      ) : (
        <>
          <p data-testid="trust-mode">{modeLabels[status.mode]}</p>
          <dl className="trust-facts">
            <dt>User</dt>
            <dd data-testid="trust-user">{status.user || '—'}</dd>
            <dt>Role</dt>
            <dd data-testid="trust-role">{status.role ?? (status.mode === 'standalone' ? 'everything (standalone)' : '—')}</dd>
            <dt>Certificate expires</dt>
            <dd data-testid="trust-expiry">
              {status.certExpiresAt === null ? '—' : `${localTime(status.certExpiresAt)} (${utcTime(status.certExpiresAt)}); renewed by sync before it ends`}
            </dd>
            <dt>Organisation key</dt>
            <dd className="mono" data-testid="trust-fingerprint">
              {status.orgFingerprint ?? 'none pinned: the first connection to a service pins it'}
            </dd>
            {status.heldCount > 0 && (
              <>
                <dt>Waiting</dt>
                <dd data-testid="trust-held">{status.heldCount} received entries wait for their certificate before they can be checked</dd>
              </>
            )}
          </dl>
          {status.orgFingerprint && (
            <p className="muted small">
              Compare the fingerprint with what your administrator reads out from <code>holdfast server org-key show</code>: if they differ, disconnect.
            </p>
          )}
        </>
      )}
    </section>
  );
}
