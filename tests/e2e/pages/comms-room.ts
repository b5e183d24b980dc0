// Page module for the comms lead's workspace in the war room (the "Stakeholder updates" pane): the
// update clocks, the composer with its findings, approval and publishing, and the history with its
// deliveries. Also what the tests need around it: calling the engine's API as a script would (to
// set up a delivery channel) and a webhook receiver that records what it is sent.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Locator, type Page } from '@playwright/test';
import type { CallName, Request, Response } from '@shared/contract';
import type { Audience } from '@shared/domain/comms';
import type { RunningWeb } from '../holdfast-web';

export class CommsRoomPage {
  readonly panel: Locator;
  readonly composer: Locator;
  readonly findings: Locator;
  readonly preview: Locator;
  readonly published: Locator;
  readonly dueBadge: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('comms-panel');
    this.composer = page.getByTestId('composer');
    this.findings = this.composer.getByTestId('finding');
    this.preview = this.composer.getByTestId('update-preview');
    this.published = page.getByTestId('published-update');
    this.dueBadge = page.getByTestId('due-badge');
  }

  /** Opens the updates pane of the open war room at an audience. */
  async open(audience: Audience): Promise<void> {
    await this.page.getByTestId('pane-updates').click();
    await expect(this.panel).toBeVisible();
    await this.page.getByTestId(`cadence-${audience}`).click();
    await expect(this.page.getByTestId(`cadence-${audience}`)).toHaveAttribute('aria-selected', 'true');
  }

  cadence(audience: Audience): Locator {
    return this.page.getByTestId(`cadence-${audience}`);
  }

  value(name: string): Locator {
    return this.composer.getByTestId(`value-${name}`);
  }

  finding(rule: string, excerpt: string): Locator {
    return this.findings
      .filter({ has: this.page.getByTestId('finding-excerpt').getByText(excerpt, { exact: true }) })
      .and(this.composer.locator(`[data-rule="${rule}"]`));
  }

  /** Waits until everything typed is saved (the preview and findings are then the engine's). */
  async saved(): Promise<void> {
    await expect(this.composer.getByTestId('save-status')).toHaveText(/^Saved/);
  }

  async showDraft(): Promise<void> {
    await this.page.getByTestId('section-draft').click();
  }

  async showHistory(): Promise<void> {
    await this.page.getByTestId('section-history').click();
  }

  publishedUpdate(title: string): Locator {
    return this.published.filter({ has: this.page.getByTestId('published-title').getByText(title, { exact: true }) });
  }
}

/** Calls the engine of a running `holdfast web` the way its UI does (POST /api/call/<name> with the access token). */
export async function callApi<K extends CallName>(web: RunningWeb, name: K, request: Request<K>): Promise<Response<K>> {
  const token = new URL(web.openUrl).hash.replace(/^#token=/, '');
  const answer = await fetch(new URL(`api/call/${name}`, web.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${decodeURIComponent(token)}` },
    body: JSON.stringify(request),
  });
  const body = (await answer.json()) as { ok: boolean; value?: Response<K>; error?: { message: string } };
  if (!body.ok) throw new Error(`${name} failed: ${body.error?.message ?? answer.status}`);
  return body.value as Response<K>;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A tiny HTTP receiver on loopback that records every request. `answers` gives the status of the
 * 1st, 2nd… request (200 after the list runs out), to make a delivery fail on purpose.
 */
export async function startWebhookReceiver(answers: number[] = []): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const status = answers[requests.length - 1] ?? 200;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status < 300 ? { ok: true } : { error: 'the receiver refused this on purpose' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/holdfast`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
