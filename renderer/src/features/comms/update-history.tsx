// What an audience has been told, newest first: each published update with when (local and UTC)
// and by whom it went out, who approved it, the findings its author published despite, its
// delivery to each channel (queued, sending, delivered, failed with the error and a Retry, retrying
// with the next attempt's time), and buttons to copy it as Markdown or plain text.
import { useState } from 'react';
import type { DeliveryView, PublishedUpdate } from '@shared/domain/comms-api';
import { audienceLabels, type LintRule } from '@shared/domain/comms';
import { localClock, localTime, localWhen, utcTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { useCopy } from '../shell/use-copy';
import { retryDelivery } from './comms-actions';
import { deliveryStateLabels, lintRuleLabels } from './labels';
import { UpdateBody } from './update-preview';

export function UpdateHistory({ updates, audienceLabel }: { updates: PublishedUpdate[]; audienceLabel: string }) {
  if (updates.length === 0) {
    return (
      <p className="muted history-empty" data-testid="history-empty">
        Nothing published to {audienceLabel.toLowerCase()} yet.
      </p>
    );
  }
  return (
    <ol className="update-history" data-testid="history">
      {updates.map((update, index) => (
        <PublishedItem key={update.updateId} update={update} isLatest={index === 0} />
      ))}
    </ol>
  );
}

function PublishedItem({ update, isLatest }: { update: PublishedUpdate; isLatest: boolean }) {
  const [isOpen, setOpen] = useState(isLatest);
  const { error, isBusy, run } = useAction();
  const retry = (channelId: string) =>
    void run(async () => {
      await retryDelivery(update, channelId);
    });

  return (
    <li className="published" data-testid="published-update" data-update={update.updateId} data-audience={update.audience}>
      <div className="published-head">
        <button type="button" className="published-toggle" aria-expanded={isOpen} onClick={() => setOpen(!isOpen)} data-testid="published-toggle">
          <span aria-hidden="true">{isOpen ? '▾' : '▸'}</span>
          <span className="published-title" data-testid="published-title">
            {update.title}
          </span>
        </button>
        <span className="published-when small" data-testid="published-when">
          <strong>{localTime(update.publishedAt)}</strong> <span className="muted mono">{utcTime(update.publishedAt)}</span>
        </span>
      </div>
      <div className="published-meta small muted" data-testid="published-meta">
        {audienceLabels[update.audience]} · published by <strong className="published-by">{update.publishedBy}</strong>
        {update.approvedBy ? (
          <>
            {' '}
            · approved by <strong data-testid="published-approver">{update.approvedBy}</strong>
          </>
        ) : (
          ' · no approval needed'
        )}
        {update.nextUpdateAt !== null && (
          <>
            {' '}
            · next update promised <span title={utcTime(update.nextUpdateAt)}>{localWhen(update.nextUpdateAt)}</span>
          </>
        )}
      </div>
      {update.lintAcknowledged.length > 0 && (
        <p className="published-lint small" data-testid="published-lint">
          Published despite lint findings: {update.lintAcknowledged.map((rule) => lintRuleLabels[rule as LintRule] ?? rule).join(' · ')}
        </p>
      )}
      {isOpen && (
        <div className="published-body" data-testid="published-body">
          <UpdateBody body={update.body} />
        </div>
      )}
      <div className="published-foot">
        <ul className="deliveries" aria-label="Deliveries" data-testid="deliveries">
          {update.deliveries.length === 0 && <li className="muted small deliveries-none">Not sent to any channel: copy it out.</li>}
          {update.deliveries.map((delivery) => (
            <DeliveryChip key={delivery.channelId} delivery={delivery} isBusy={isBusy} onRetry={() => retry(delivery.channelId)} />
          ))}
        </ul>
        <span className="copy-buttons">
          <CopyText value={update.markdown} label="Copy as Markdown" testId="copy-markdown" />
          <CopyText value={update.plainText} label="Copy as plain text" testId="copy-plain" />
        </span>
      </div>
      {error && (
        <p className="form-error" role="alert" data-testid="retry-error">
          {error}
        </p>
      )}
    </li>
  );
}

function DeliveryChip({ delivery: d, isBusy, onRetry }: { delivery: DeliveryView; isBusy: boolean; onRetry: () => void }) {
  const attempts = d.attempts > 1 ? ` (${d.attempts} attempts)` : '';
  return (
    <li className={`delivery delivery-${d.state}`} data-testid="delivery" data-channel={d.channelId} data-state={d.state}>
      <span className="delivery-channel">
        {d.channelName} <span className="muted small">{d.kind}</span>
      </span>
      <span className="state-badge delivery-state" data-testid="delivery-state">
        {deliveryStateLabels[d.state]}
      </span>
      {d.state === 'failed' ? (
        <span className="small delivery-detail delivery-error" data-testid="delivery-error">
          {d.lastError || 'failed'}
          {attempts}
        </span>
      ) : d.state === 'retrying' ? (
        <span className="small delivery-detail" data-testid="delivery-detail">
          {d.nextAttemptAt !== null ? (
            <>
              Next try at <strong title={utcTime(d.nextAttemptAt)}>{localClock(d.nextAttemptAt)}</strong>
            </>
          ) : (
            'Trying again'
          )}
          {attempts}
          {d.lastError && <span className="muted"> · {d.lastError}</span>}
        </span>
      ) : (
        <span className="small muted delivery-detail" data-testid="delivery-detail">
          {d.state === 'delivered' && d.deliveredAt !== null && <span title={utcTime(d.deliveredAt)}>{localClock(d.deliveredAt)}</span>}
          {d.state === 'queued' && 'Waiting to be sent'}
          {d.state === 'sending' && 'Being sent'}
          {d.detail && ` · ${d.detail}`}
        </span>
      )}
      {d.state === 'failed' && (
        <button type="button" className="button button-small" data-testid="delivery-retry" disabled={isBusy} onClick={onRetry}>
          Retry
        </button>
      )}
    </li>
  );
}

/** Copies a published update's text and says whether the browser allowed it. */
function CopyText({ value, label, testId }: { value: string; label: string; testId: string }) {
  const { state, copy } = useCopy(value);
  return (
    <button
      type="button"
      className={`button button-small copy-text copy-${state}`}
      data-testid={testId}
      title={state === 'failed' ? 'This browser refused the clipboard: open the update and copy the text by hand' : undefined}
      onClick={copy}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
