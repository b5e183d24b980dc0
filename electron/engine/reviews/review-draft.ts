// The review draft, generated once from the incident's record into editable Markdown: the facts
// (milestones, durations, pinned timeline, roles, runbook deviations, evidence, updates, actions),
// then the blameless questions a review answers.
import { audienceLabels, formatUpdateTime } from '@shared/domain/comms';
import type { Incident } from '@shared/domain/incident';
import { roleTitles } from '@shared/domain/incident-roles';
import { milestoneLabels, milestones } from '@shared/domain/lifecycle';
import { formatDuration, incidentDurations, metricLabels, metricNames } from '@shared/domain/metrics';
import { actionTypeLabels, contributingFactorKeys, contributingFactorLabels } from '@shared/domain/review';
import type { CommsStore } from '../comms/comms-store';
import { publishedUpdates } from '../comms/comms-queries';
import type { EvidenceStore } from '../evidence/evidence-store';
import type { IncidentStore } from '../incidents/incident-store';
import type { RunbookStore } from '../runbooks/runbook-store';
import { pinnedEntries } from '../timeline/timeline-queries';
import type { TimelineStore } from '../timeline/timeline-store';
import { actionsAsAdded, type ReviewReads } from './review-queries';

/** What the draft is read from: the incident's stores across domains. */
export interface DraftSources extends ReviewReads {
  incidents: IncidentStore;
  timeline: TimelineStore;
  runbooks: RunbookStore;
  evidence: EvidenceStore;
  comms: CommsStore;
}

/** A Markdown list of lines, or an italic note when there is nothing to list. */
const list = (lines: string[], none: string) => (lines.length > 0 ? lines.map((l) => `- ${l}`).join('\n') : `_${none}_`);
/** Text from the record, kept from breaking the Markdown it is put in (headings, lists, HTML). */
const inline = (text: string) => text.replace(/\s*\n\s*/g, ' ').replace(/([\\`*_[\]<>#|])/g, '\\$1');

/** The review draft: everything the record says, then the blameless questions to answer. */
export function reviewDraft(sources: DraftSources, incident: Incident): string {
  const at = (ms: number | null) => (ms === null ? '—' : formatUpdateTime(ms));
  const durations = incidentDurations(incident).durations;
  const seats = sources.incidents.seats(incident.id).filter((s) => s.holderId);
  const pinned = pinnedEntries(sources.timeline, incident.id, 500);
  const runs = sources.runbooks.runs(incident.id);
  const artifacts = sources.evidence.artifacts(incident.id);
  const published = publishedUpdates(sources.comms, incident);
  const deviations = runs.flatMap((run) => run.deviations);
  const actions = actionsAsAdded(sources, incident.id);
  const facts = [
    `**Severity:** ${incident.severity}${incident.isDrill ? ' (drill)' : ''} · **Services:** ${incident.services.length > 0 ? incident.services.map(inline).join(', ') : 'not named'} · **Type:** ${incident.type ? inline(incident.type) : 'not set'}`,
    `**Declared:** ${at(incident.declaredAt)} · **Status:** ${incident.status}`,
  ];
  return [
    `# Post-incident review: ${inline(incident.title)}`,
    '',
    facts.join('  \n'),
    '',
    '> This review is blameless. It asks how the system, our tools and our processes let this happen and how people made sense of it at the time, never who is to blame. Write about conditions and decisions in context.',
    '',
    '## Summary',
    '',
    incident.summary.trim() ? incident.summary.trim() : '_In two or three sentences: what happened, who was affected, and how it ended._',
    '',
    '## Impact',
    '',
    '_Who noticed what, for how long, and how badly (requests failed, customers affected, data at risk)._',
    '',
    '| Milestone | Time (UTC) |',
    '| --- | --- |',
    ...milestones.map((m) => `| ${milestoneLabels[m]} | ${at(incident.milestones[m])} |`),
    '',
    metricNames.map((name) => `**${metricLabels[name]}:** ${formatDuration(durations[name])}`).join(' · '),
    '',
    '## Timeline',
    '',
    list(
      pinned.map((e) => `${at(e.eventAt)}: ${inline(e.text)} (${e.authorId})`),
      'No entries were pinned; pin the key moments in the war room and generate again, or write them here.',
    ),
    '',
    '## Roles',
    '',
    list(
      seats.map((s) => `${s.role === 'sme' ? `Subject-matter expert${s.label ? ` (${inline(s.label)})` : ''}` : roleTitles[s.role]}: ${s.holderId}`),
      'Nobody held a role.',
    ),
    '',
    '## Runbook deviations',
    '',
    list(
      deviations.map(
        (d) => `"${inline(d.runbookTitle)}" step ${d.step} (${inline(d.stepTitle)}): ${d.kind}${d.note ? `: ${inline(d.note)}` : ''}${d.by ? ` (${d.by})` : ''}`,
      ),
      'No runbook was followed, or every step went as written.',
    ),
    '',
    '## Evidence',
    '',
    list(
      artifacts.map((a) => `${inline(a.what)}${a.asset ? ` (${inline(a.asset)})` : ''}: ${a.state}${a.sha256 ? `, SHA-256 ${a.sha256.slice(0, 16)}…` : ''}`),
      'No artifacts were recorded.',
    ),
    '',
    '## Updates sent',
    '',
    list(
      [...published]
        .reverse()
        .map((p) => `${at(p.publishedAt)}, ${audienceLabels[p.audience]}: "${inline(p.title)}" (${p.publishedBy}${p.approvedBy ? `, approved by ${p.approvedBy}` : ''})`),
      'No stakeholder updates were published.',
    ),
    '',
    '## What happened',
    '',
    '_The story in order: what people saw, what they thought it meant at the time, and what they did._',
    '',
    '## Contributing factors',
    '',
    `_Tick the factors that apply (${contributingFactorKeys.map((k) => contributingFactorLabels[k]).join(', ')}) and say here how each contributed._`,
    '',
    '## What went well',
    '',
    '_What helped: detection, tools, runbooks, people who knew where to look._',
    '',
    '## Where we got lucky',
    '',
    '_What could have made this much worse, and did not, by chance._',
    '',
    '## Action items',
    '',
    list(
      actions.map((a) => `${a.priority} ${actionTypeLabels[a.type]}: ${inline(a.title)}${a.ownerId ? ` (${a.ownerId})` : ''}${a.dueAt ? `, due ${at(a.dueAt)}` : ''}`),
      'Add action items below the review: each with an owner, a due date, a priority and whether it helps detect, mitigate or prevent.',
    ),
    '',
  ].join('\n');
}
