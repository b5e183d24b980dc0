// Action items filed in trackers: Jira Cloud (REST v3, ADF description, basic auth email:token),
// Linear (GraphQL issueCreate/issueUpdate, the API key in Authorization) and GitHub Issues (REST,
// Bearer token). A send that names the item's remoteId updates it; otherwise the item is created and
// its id and address come back to be stored with the action item.
import type { ConfigOf } from '@shared/domain/integrations';
import { excerpt, httpFailure, isSuccess, jsonOf, request, type HttpOptions, type SendResult } from './http';
import type { OutgoingSend } from './vendors';

type Tracker = ConfigOf<'jira'> | ConfigOf<'linear'> | ConfigOf<'github'>;

export async function sendToTracker(target: Tracker, send: OutgoingSend, http: HttpOptions): Promise<SendResult> {
  switch (target.kind) {
    case 'jira':
      return jira(target, send, http);
    case 'linear':
      return linear(target, send, http);
    case 'github':
      return github(target, send, http);
  }
}

const body = (send: OutgoingSend) => `${send.text}\n\nFrom the incident "${send.incidentTitle}": ${send.link}`;

/** Atlassian Document Format: one paragraph per line of text, and a link back. */
export function adfOf(send: OutgoingSend) {
  const paragraphs = send.text
    .split(/\n+/)
    .filter((line) => line.trim() !== '')
    .map((line) => ({ type: 'paragraph', content: [{ type: 'text', text: line }] }));
  return {
    type: 'doc',
    version: 1,
    content: [
      ...paragraphs,
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: `From the incident "${send.incidentTitle}": ` },
          { type: 'text', text: 'open in Holdfast', marks: [{ type: 'link', attrs: { href: send.link } }] },
        ],
      },
    ],
  };
}

async function jira(target: ConfigOf<'jira'>, send: OutgoingSend, http: HttpOptions): Promise<SendResult> {
  const base = target.baseUrl.replace(/\/+$/, '');
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json',
    authorization: `Basic ${Buffer.from(`${target.email}:${target.apiToken}`).toString('base64')}`,
  };
  const fields = { summary: send.title, description: adfOf(send) };
  if (send.remoteId) {
    const url = `${base}/rest/api/3/issue/${encodeURIComponent(send.remoteId)}`;
    const answer = await request(url, { method: 'PUT', headers, body: JSON.stringify({ fields }) }, http);
    if (!answer.ok) return answer.failure;
    if (isSuccess(answer.status))
      return { ok: true, detail: `HTTP ${answer.status}: ${send.remoteId} updated`, remoteId: send.remoteId, remoteUrl: `${base}/browse/${send.remoteId}` };
    return httpFailure(
      'Jira',
      answer.status,
      answer.body,
      answer.status === 404 ? `the issue ${send.remoteId} is gone or not visible to ${target.email}` : 'check the e-mail address and API token',
    );
  }
  const create = { fields: { project: { key: target.projectKey }, issuetype: { name: target.issueType ?? 'Task' }, ...fields } };
  const answer = await request(`${base}/rest/api/3/issue`, { method: 'POST', headers, body: JSON.stringify(create) }, http);
  if (!answer.ok) return answer.failure;
  const said = jsonOf(answer.body);
  if (isSuccess(answer.status) && typeof said?.key === 'string')
    return { ok: true, detail: `HTTP ${answer.status}: ${said.key} created`, remoteId: said.key, remoteUrl: `${base}/browse/${said.key}` };
  if (isSuccess(answer.status)) return { ok: false, retryable: false, error: `Jira answered HTTP ${answer.status} without an issue key: ${excerpt(answer.body)}` };
  return httpFailure('Jira', answer.status, answer.body, answer.status === 400 ? 'check the project key and issue type' : 'check the e-mail address and API token');
}

const linearCreate = 'mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier url } } }';
const linearUpdate = 'mutation IssueUpdate($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success issue { id identifier url } } }';

async function linear(target: ConfigOf<'linear'>, send: OutgoingSend, http: HttpOptions): Promise<SendResult> {
  const url = target.url ?? 'https://api.linear.app/graphql';
  const input = { title: send.title, description: body(send) };
  const query = send.remoteId
    ? { query: linearUpdate, variables: { id: send.remoteId, input } }
    : { query: linearCreate, variables: { input: { teamId: target.teamId, ...input } } };
  const headers = { 'content-type': 'application/json', authorization: target.apiKey };
  const answer = await request(url, { method: 'POST', headers, body: JSON.stringify(query) }, http);
  if (!answer.ok) return answer.failure;
  const said = jsonOf(answer.body);
  const errors = Array.isArray(said?.errors) ? (said.errors as { message?: unknown; extensions?: { code?: unknown } }[]) : [];
  if (errors.length > 0) {
    const codes = errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : ''));
    const retryable = codes.includes('RATELIMITED') || answer.status >= 500;
    const auth = codes.includes('AUTHENTICATION_ERROR') || answer.status === 401;
    return {
      ok: false,
      retryable,
      error: `Linear refused the issue (HTTP ${answer.status}): ${errors.map((e) => (typeof e.message === 'string' ? e.message : 'error')).join('; ')}; ${auth ? 'check the API key' : retryable ? 'it will be tried again' : 'check the team id'}`,
    };
  }
  if (!isSuccess(answer.status)) return httpFailure('Linear', answer.status, answer.body, 'check the API key');
  const data = (said?.data ?? {}) as Record<string, { success?: unknown; issue?: { id?: unknown; identifier?: unknown; url?: unknown } } | undefined>;
  const result = data[send.remoteId ? 'issueUpdate' : 'issueCreate'];
  const issue = result?.issue;
  if (result?.success !== true || typeof issue?.id !== 'string')
    return { ok: false, retryable: false, error: `Linear answered without an issue: ${excerpt(answer.body)}; check the team id` };
  return {
    ok: true,
    detail: `HTTP ${answer.status}: ${typeof issue.identifier === 'string' ? issue.identifier : issue.id} ${send.remoteId ? 'updated' : 'created'}`,
    remoteId: issue.id,
    ...(typeof issue.url === 'string' ? { remoteUrl: issue.url } : {}),
  };
}

async function github(target: ConfigOf<'github'>, send: OutgoingSend, http: HttpOptions): Promise<SendResult> {
  const base = `${(target.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '')}/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}/issues`;
  const headers = {
    'content-type': 'application/json',
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${target.token}`,
    'x-github-api-version': '2022-11-28',
    'user-agent': 'Holdfast',
  };
  const url = send.remoteId ? `${base}/${encodeURIComponent(send.remoteId)}` : base;
  const answer = await request(url, { method: send.remoteId ? 'PATCH' : 'POST', headers, body: JSON.stringify({ title: send.title, body: body(send) }) }, http);
  if (!answer.ok) return answer.failure;
  const said = jsonOf(answer.body);
  if (isSuccess(answer.status) && typeof said?.number === 'number') {
    const number = String(said.number);
    return {
      ok: true,
      detail: `HTTP ${answer.status}: issue #${number} ${send.remoteId ? 'updated' : 'created'}`,
      remoteId: number,
      ...(typeof said.html_url === 'string' ? { remoteUrl: said.html_url } : {}),
    };
  }
  if (isSuccess(answer.status)) return { ok: false, retryable: false, error: `GitHub answered HTTP ${answer.status} without an issue number: ${excerpt(answer.body)}` };
  // GitHub's secondary rate limit answers 403 with a retry-after; other 403s are permissions.
  if (answer.status === 403 && /rate limit/i.test(answer.body))
    return { ok: false, retryable: true, error: `GitHub rate-limited the request: ${excerpt(answer.body)}; it will be tried again` };
  return httpFailure(
    'GitHub',
    answer.status,
    answer.body,
    answer.status === 404 ? `check the owner and repository, and that the token can write ${target.owner}/${target.repo}'s issues` : 'check the token',
  );
}
