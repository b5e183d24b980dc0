// The break-glass kit this laptop keeps: when it was made and what it holds, saved as one HTML file
// or printed; which update templates are pre-approved holding statements; and the health checks
// (SSO, chat, status page) that, with the service, decide outage mode.
import { useState } from 'react';
import type { HealthCheck } from '@shared/domain/outage-api';
import { downloadText } from '../../lib/download';
import { printHtml } from '../../lib/print-html';
import { localTime, utcTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { useEngineQuery } from '../../data/use-engine-query';
import { client } from '../../store/client-ref';
import './outage.css';

const blankCheck: HealthCheck = { name: '', url: '' };

function HealthChecks() {
  const checks = useEngineQuery('outage.healthChecks', {});
  const [draft, setDraft] = useState<HealthCheck[] | null>(null);
  const save = useAction();
  const probe = useAction();
  const [probed, setProbed] = useState<string | null>(null);
  const rows = draft ?? checks.value ?? [];
  const edit = (index: number, patch: Partial<HealthCheck>) => setDraft(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <section className="kit-section" aria-labelledby="kit-checks-title">
      <h3 id="kit-checks-title">Health checks</h3>
      <p className="muted small">Outage mode begins when the Holdfast service and every one of these fail to answer.</p>
      {rows.map((row, index) => (
        <div className="kit-check-row" key={index}>
          <input aria-label={`Check ${index + 1} name`} placeholder="SSO" value={row.name} onChange={(e) => edit(index, { name: e.target.value })} />
          <input
            aria-label={`Check ${index + 1} URL`}
            placeholder="https://sso.example.com/health"
            value={row.url}
            onChange={(e) => edit(index, { url: e.target.value })}
          />
          <button type="button" className="link-button small" onClick={() => setDraft(rows.filter((_, i) => i !== index))}>
            Remove
          </button>
        </div>
      ))}
      <div className="kit-actions">
        <button type="button" className="link-button small" onClick={() => setDraft([...rows, blankCheck])} data-testid="kit-add-check">
          Add a check
        </button>
        {draft && (
          <button
            type="button"
            className="button small"
            disabled={save.isBusy}
            data-testid="kit-save-checks"
            onClick={() =>
              void save.run(async () => {
                checks.show(await client().call('outage.setHealthChecks', { checks: draft }));
                setDraft(null);
              })
            }
          >
            Save checks
          </button>
        )}
        <button
          type="button"
          className="button small"
          disabled={probe.isBusy}
          data-testid="kit-check-now"
          onClick={() =>
            void probe.run(async () => {
              const status = await client().call('outage.check', {});
              const parts = [
                status.service ? `service ${status.service.isUp ? 'up' : `down (${status.service.detail})`}` : 'no service configured',
                ...status.checks.map((c) => `${c.name} ${c.isUp ? 'up' : `down (${c.detail})`}`),
              ];
              setProbed(`${status.isOutage ? 'Outage mode' : 'Not an outage'}: ${parts.join(', ')}`);
            })
          }
        >
          Check now
        </button>
      </div>
      {probed && (
        <p className="small" data-testid="kit-check-result">
          {probed}
        </p>
      )}
      {(save.error ?? probe.error) && (
        <p className="form-error" role="alert">
          {save.error ?? probe.error}
        </p>
      )}
    </section>
  );
}

function HoldingStatements() {
  const templates = useEngineQuery('comms.templates', {});
  const marked = useEngineQuery('kit.holdingTemplates', {});
  const mark = useAction();
  return (
    <section className="kit-section" aria-labelledby="kit-statements-title">
      <h3 id="kit-statements-title">Pre-approved holding statements</h3>
      <p className="muted small">Marked templates go into the kit, to publish without waiting for sign-off.</p>
      <ul className="kit-templates">
        {(templates.value ?? []).map((t) => (
          <li key={t.id}>
            <label>
              <input
                type="checkbox"
                checked={marked.value?.includes(t.id) ?? false}
                disabled={mark.isBusy}
                data-testid={`kit-holding-${t.id}`}
                onChange={(e) => void mark.run(async () => marked.show(await client().call('kit.setHolding', { templateId: t.id, isPreApproved: e.target.checked })))}
              />{' '}
              {t.name} <span className="muted">({t.audience})</span>
            </label>
          </li>
        ))}
      </ul>
      {mark.error && (
        <p className="form-error" role="alert">
          {mark.error}
        </p>
      )}
    </section>
  );
}

export function KitDialog({ onClose }: { onClose: () => void }) {
  const kit = useEngineQuery('kit.info', {});
  const act = useAction();
  const info = kit.value;
  return (
    <div className="kit-backdrop" onClick={onClose}>
      <div className="kit-dialog" role="dialog" aria-modal="true" aria-labelledby="kit-title" data-testid="kit-dialog" onClick={(e) => e.stopPropagation()}>
        <header className="kit-header">
          <h2 id="kit-title">Break-glass kit</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <p className="small">
          What a responder needs when everything is down: the phone tree, the runbooks tagged <code>break-glass</code>, the pre-approved holding statements and how to
          start or join a war-room hub. Signed by this laptop and made again whenever those change.
        </p>
        {info && (
          <p className="kit-made" data-testid="kit-info">
            Made {localTime(info.generatedAt)} ({utcTime(info.generatedAt)}), signed by {info.signedBy}: {info.counts.teams} teams, {info.counts.bridges} bridges,{' '}
            {info.counts.people} people, {info.counts.runbooks} runbooks, {info.counts.statements} holding statements.
          </p>
        )}
        <div className="kit-actions">
          <button
            type="button"
            className="button primary"
            disabled={act.isBusy}
            data-testid="kit-save"
            onClick={() =>
              void act.run(async () => {
                const file = await client().call('kit.file', {});
                kit.show(file.info);
                downloadText(file.fileName, 'text/html;charset=utf-8', file.html);
              })
            }
          >
            Save as one HTML file
          </button>
          <button
            type="button"
            className="button"
            disabled={act.isBusy}
            data-testid="kit-print"
            onClick={() =>
              void act.run(async () => {
                const file = await client().call('kit.file', {});
                kit.show(file.info);
                await printHtml(file.html, 'Holdfast break-glass kit');
              })
            }
          >
            Print
          </button>
        </div>
        {(act.error ?? kit.error) && (
          <p className="form-error" role="alert">
            {act.error ?? kit.error}
          </p>
        )}
        <HoldingStatements />
        <HealthChecks />
      </div>
    </div>
  );
}
