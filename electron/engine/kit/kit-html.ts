// The break-glass kit as one self-contained HTML file: inline CSS, no scripts, images, fonts or
// links to fetch, so it opens from a USB stick or prints when everything else is down. The signed
// part is the exact text between the two content markers; the signature (core/file-signature, over
// that text's SHA-256) follows it as inline JSON data that browsers do not run.
import { escapeHtml } from '@shared/html';
import { telHref, type Bridge, type Person, type Team } from '@shared/domain/directory';
import type { RunbookStep } from '@shared/domain/runbook-file';
import { formatIn } from '@shared/time';

export const contentStart = '<!-- holdfast-kit:content -->';
export const contentEnd = '<!-- /holdfast-kit:content -->';
export const signatureId = 'holdfast-kit-signature';

export interface KitRunbook {
  id: string;
  title: string;
  owner: string;
  intro: string;
  steps: Pick<RunbookStep, 'number' | 'title' | 'body' | 'commands'>[];
}

export interface KitStatement {
  id: string;
  name: string;
  audience: string;
  title: string;
  body: string;
}

export interface KitSources {
  generatedAt: number;
  /** Who the laptop writes as, and its device. */
  signedBy: string;
  deviceId: string;
  teams: Team[];
  people: Person[];
  bridges: Bridge[];
  runbooks: KitRunbook[];
  statements: KitStatement[];
}

const utc = (ms: number) => `${formatIn(ms, 'UTC', 'yyyy-MM-dd HH:mm')} UTC`;
const tel = (number: string) => `<a href="${escapeHtml(telHref(number))}">${escapeHtml(number)}</a>`;
const paragraphs = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');

const css = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#14171c;margin:0 auto;max-width:58rem;padding:1.5rem}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;border-bottom:2px solid #14171c;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.02rem;margin:1.2rem 0 .3rem}.meta{color:#4a5260;margin:.2rem 0}
.banner{border:2px solid #a4262c;background:#fdf1f1;padding:.6rem .8rem;border-radius:6px}
table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{border:1px solid #c5cad3;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eef0f4}a{color:#0b4fa3}code,pre{font:13px/1.4 ui-monospace,Menlo,Consolas,monospace}
pre{background:#f3f4f7;border:1px solid #d5d9e0;padding:.5rem;white-space:pre-wrap;word-break:break-word}
ol.steps>li{margin:.5rem 0}.statement{border:1px solid #c5cad3;border-radius:6px;padding:.5rem .8rem;margin:.6rem 0}
.none{color:#6b7280;font-style:italic}.sig{font-size:.85rem;color:#4a5260;word-break:break-all}
@media print{body{max-width:none;padding:0}h2{break-after:avoid}.statement,table,li{break-inside:avoid}a{color:inherit;text-decoration:none}}
`;

function phoneTree(sources: KitSources): string {
  const { teams, people, bridges } = sources;
  const members = (teamId: string) => people.filter((p) => p.teamId === teamId);
  const teamRows = teams.length
    ? `<table><thead><tr><th>Team</th><th>Escalation number</th><th>Pager</th><th>People</th></tr></thead><tbody>${teams
        .map(
          (t) =>
            `<tr><td><strong>${escapeHtml(t.name)}</strong>${t.description ? `<br>${escapeHtml(t.description)}` : ''}</td><td>${t.escalationPhone ? tel(t.escalationPhone) : '<span class="none">none</span>'}</td><td>${escapeHtml(t.pager)}</td><td>${
              members(t.id)
                .map(
                  (p) =>
                    `${escapeHtml(p.name)}${p.phones.length ? `: ${p.phones.map((ph) => `${tel(ph.number)}${ph.label ? ` (${escapeHtml(ph.label)})` : ''}`).join(', ')}` : ''}`,
                )
                .join('<br>') || '<span class="none">nobody listed</span>'
            }</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="none">No teams in the directory yet.</p>';
  const bridgeRows = bridges.length
    ? `<table><thead><tr><th>Bridge</th><th>Dial in</th><th>PIN</th><th>Meeting link</th></tr></thead><tbody>${bridges
        .map(
          (b) =>
            `<tr><td><strong>${escapeHtml(b.name)}</strong>${b.notes ? `<br>${escapeHtml(b.notes)}` : ''}</td><td>${b.dialIn.map((d) => `${tel(d.number)}${d.label ? ` (${escapeHtml(d.label)})` : ''}`).join('<br>')}</td><td><strong>${escapeHtml(b.pin)}</strong></td><td>${escapeHtml(b.meetingUrl)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="none">No conference bridges in the directory yet.</p>';
  const unteamed = people.filter((p) => !p.teamId || !teams.some((t) => t.id === p.teamId));
  const others = unteamed.length
    ? `<h3>Other people</h3><table><tbody>${unteamed
        .map(
          (p) =>
            `<tr><td>${escapeHtml(p.name)}${p.title ? `, ${escapeHtml(p.title)}` : ''}</td><td>${p.phones.map((ph) => tel(ph.number)).join(', ')}</td><td>${escapeHtml(p.email)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  return `<section id="phone-tree"><h2>Phone tree</h2><h3>Teams</h3>${teamRows}<h3>Conference bridges</h3>${bridgeRows}${others}</section>`;
}

function runbooks(sources: KitSources): string {
  const list = sources.runbooks.length
    ? sources.runbooks
        .map(
          (r) =>
            `<article class="runbook"><h3>${escapeHtml(r.title)}</h3>${r.owner ? `<p class="meta">Owner: ${escapeHtml(r.owner)}</p>` : ''}${paragraphs(r.intro)}<ol class="steps">${r.steps
              .map(
                (s) =>
                  `<li><strong>${escapeHtml(s.title)}</strong>${paragraphs(s.body.replace(/```[\s\S]*?```/g, ''))}${s.commands.map((c) => `<pre><code>${escapeHtml(c)}</code></pre>`).join('')}</li>`,
              )
              .join('')}</ol></article>`,
        )
        .join('')
    : '<p class="none">No runbook is tagged <code>break-glass</code> yet: tag the runbooks a responder needs when everything is down.</p>';
  return `<section id="runbooks"><h2>Break-glass runbooks</h2>${list}</section>`;
}

function statements(sources: KitSources): string {
  const list = sources.statements.length
    ? sources.statements
        .map(
          (s) =>
            `<div class="statement"><h3>${escapeHtml(s.name)} <span class="meta">(${escapeHtml(s.audience)})</span></h3><p><strong>${escapeHtml(s.title)}</strong></p>${paragraphs(s.body)}</div>`,
        )
        .join('')
    : '<p class="none">No update template is marked as a pre-approved holding statement yet (Settings → Updates).</p>';
  return `<section id="statements"><h2>Pre-approved holding statements</h2><p>Fill in the <code>{{placeholders}}</code> by hand. These were approved in advance: publish them without waiting for sign-off.</p>${list}</section>`;
}

const hubHowTo = `<section id="war-room-hub"><h2>Start or join a war-room hub</h2>
<p>When the Holdfast service is unreachable, laptops in the same room sync with each other through a hub on one of them.</p>
<h3>To host (a commander's laptop that has connected to the service before)</h3>
<ol><li>Open Holdfast → <strong>Settings → Sync → Host a war room</strong>, or run <code>holdfast web --host</code>.</li>
<li>Read out the <strong>join code</strong> and the <strong>certificate fingerprint</strong> your screen shows; share the join link if chat still works.</li>
<li>Laptops on the same network see your room under <strong>War rooms near you</strong>.</li></ol>
<h3>To join</h3>
<ol><li>Open <strong>Settings → Sync → Join a war room</strong>: pick the room under <strong>War rooms near you</strong>, or paste the link, or type the address.</li>
<li>Type the join code the host reads out. Compare the fingerprint on your screen with the host's, group by group: if they differ, do not join.</li>
<li>No network at all? Connect both laptops to a phone hotspot or one switch, then join by address.</li></ol></section>`;

/** The signed part: everything a responder reads. */
export function kitContent(sources: KitSources): string {
  return [
    contentStart,
    `<header><h1>Break-glass kit</h1><p class="banner">For when Holdfast's service, SSO and chat are all down. Made ${escapeHtml(utc(sources.generatedAt))} on device ${escapeHtml(sources.deviceId)} (${escapeHtml(sources.signedBy)}). Check the date: a newer kit may exist on another laptop.</p>`,
    `<p class="meta">Holds ${sources.teams.length} teams, ${sources.bridges.length} bridges, ${sources.people.length} people, ${sources.runbooks.length} runbooks and ${sources.statements.length} holding statements.</p></header>`,
    phoneTree(sources),
    runbooks(sources),
    statements(sources),
    hubHowTo,
    contentEnd,
  ].join('\n');
}

/** The whole file: the content, then who signed it in words, then the signature as inline JSON data. */
export function kitDocument(content: string, signatureJson: string, signedLine: string): string {
  const json = signatureJson.replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Holdfast break-glass kit</title><style>${css}</style></head><body>
${content}
<footer><h2>Signature</h2><p class="sig">${escapeHtml(signedLine)}</p><p class="sig">Check it with <code>holdfast kit verify FILE</code>.</p></footer>
<script type="application/json" id="${signatureId}">${json}</script>
</body></html>
`;
}

const unescapeHtml = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!);

/**
 * Whether `html` is exactly the document its signed content, signature and signer line make: the
 * signature covers only the content, so anything added or changed around it (a style that hides
 * the phone tree, a number after <body>) makes the file not the kit that was signed.
 */
export function isWholeKit(html: string, content: string): boolean {
  const json = new RegExp(`<script type="application/json" id="${signatureId}">([\\s\\S]*?)</script>`).exec(html)?.[1];
  const line = /<footer><h2>Signature<\/h2><p class="sig">([\s\S]*?)<\/p>/.exec(html)?.[1];
  if (json === undefined || line === undefined) return false;
  return kitDocument(content, json, unescapeHtml(line)) === html;
}

/** The signed content and the signature JSON of a kit file, or why it is not one. */
export function splitKit(html: string): { content: string; signature: unknown } | string {
  const start = html.indexOf(contentStart);
  const end = html.indexOf(contentEnd);
  if (start < 0 || end < start) return 'it is not a Holdfast break-glass kit (no kit content markers)';
  const content = html.slice(start, end + contentEnd.length);
  const match = new RegExp(`<script type="application/json" id="${signatureId}">([\\s\\S]*?)</script>`).exec(html.slice(end));
  if (!match) return { content, signature: null };
  try {
    return { content, signature: JSON.parse(match[1]) as unknown };
  } catch {
    return { content, signature: 'unreadable' };
  }
}
