// What each responder could know, and when: the review's "as seen by" view. From an incident's
// timeline and its receipts (when each device first held each op; docs/knowledge.md) it says which
// entries a person held at a moment, which decisions were taken without entries written minutes
// before, and when two groups each decided without the other's entries (a split war room).
// Pure: the engine reads the rows (electron/engine/knowledge), the UI words the result.
import { z } from 'zod';
import { utcMs } from './common';
import type { TimelineKind } from './timeline';

export const defaultThresholdMinutes = 2;

export const knowledgeRequest = z
  .object({
    incidentId: z.string({ error: 'must be an incident id' }).min(1).max(100, { error: 'must be at most 100 characters' }),
    /** Whose view: a user name as it appears on the timeline or on receipts. */
    person: z.string({ error: 'must be a person' }).trim().min(1, { error: 'choose a person' }).max(200).optional(),
    /** The moment (UTC ms); when left out, the newest entry's or receipt's time. */
    at: utcMs.optional(),
    /** Entries written at least this long before a decision count as missed when its author lacked them. */
    thresholdMinutes: z.number({ error: 'must be a number of minutes' }).int().min(0).max(240, { error: 'must be at most 240 minutes' }).default(defaultThresholdMinutes),
  })
  .strict();
export type KnowledgeRequest = z.output<typeof knowledgeRequest>;

/** A timeline entry as the computation reads it (its id is its op's id). */
export interface KnownEntry {
  id: string;
  kind: TimelineKind;
  text: string;
  authorId: string;
  /** Its stamp: when it was written (UTC ms). */
  recordedAt: number;
}

/** One receipt row: `actor`'s device `deviceId` held op `opId` from `heldAt`. */
export interface Hold {
  opId: string;
  actor: string;
  deviceId: string;
  heldAt: number;
}

/** A device's newest receipt in the incident: what it held is known up to then. */
export interface ReceiptReach {
  actor: string;
  deviceId: string;
  newestAt: number;
}

/** `seen`: held by then; `unseen`: not held by then (the receipts say so); `unknown`: after what the person's receipts cover. */
export type EntryState = 'seen' | 'unseen' | 'unknown';

export interface EntryAsSeen extends KnownEntry {
  state: EntryState;
  /** When the person first held it (their own entries: when they wrote them), or null. */
  heldAt: number | null;
}

export interface KnowledgePerson {
  name: string;
  /** Devices of theirs that wrote receipts in this incident. */
  devices: number;
  /** Up to when their receipts say what they held (the oldest of their devices' newest receipts); null without receipts. */
  knownUntil: number | null;
  decisions: number;
}

/** Entries of one author that a decision's author had not held when deciding. */
export interface Missed {
  author: string;
  entries: KnownEntry[];
}

export interface DecisionCheck {
  decision: KnownEntry;
  missed: Missed[];
  /** Entries written before the threshold whose holding the decision's author's receipts do not cover yet. */
  uncertain: number;
}

export interface SplitFlag {
  /** Each side: the decision's author first, then those whose entries they held and the other side did not. */
  groups: [string[], string[]];
  decisions: [KnownEntry, KnownEntry];
}

export interface PersonView {
  person: string;
  at: number;
  entries: EntryAsSeen[];
  counts: Record<EntryState, number>;
}

export interface KnowledgeView {
  incidentId: string;
  thresholdMs: number;
  people: KnowledgePerson[];
  view: PersonView | null;
  /** Every decision, in time order, with what its author had not held. */
  decisions: DecisionCheck[];
  splits: SplitFlag[];
}

export interface KnowledgeInput {
  entries: readonly KnownEntry[];
  holds: readonly Hold[];
  reach: readonly ReceiptReach[];
}

/** Indexes the receipts once: when each person first held each op (a receipt before the op's own stamp counts for nothing). */
export function knowledgeOf({ entries, holds, reach }: KnowledgeInput) {
  const stampOf = new Map(entries.map((e) => [e.id, e.recordedAt]));
  const firstHeld = new Map<string, number>();
  for (const hold of holds) {
    const stamp = stampOf.get(hold.opId);
    // Held before it was written: a forged or impossible claim, ignored.
    if (stamp === undefined || hold.heldAt < stamp) continue;
    const key = `${hold.actor}\n${hold.opId}`;
    firstHeld.set(key, Math.min(firstHeld.get(key) ?? Infinity, hold.heldAt));
  }
  const reachOf = new Map<string, number[]>();
  for (const r of reach) reachOf.set(r.actor, [...(reachOf.get(r.actor) ?? []), r.newestAt]);
  const knownUntil = (person: string): number | null => {
    const times = reachOf.get(person);
    return times ? Math.min(...times) : null;
  };
  const heldAt = (person: string, entry: KnownEntry): number | null => (entry.authorId === person ? entry.recordedAt : (firstHeld.get(`${person}\n${entry.id}`) ?? null));
  const stateAt = (person: string, entry: KnownEntry, at: number): EntryState => {
    const held = heldAt(person, entry);
    if (held !== null) return held <= at ? 'seen' : 'unseen';
    const until = knownUntil(person);
    return until !== null && at <= until ? 'unseen' : 'unknown';
  };
  return { heldAt, stateAt, knownUntil, devicesOf: (person: string) => reachOf.get(person)?.length ?? 0 };
}

const byTime = (a: KnownEntry, b: KnownEntry) => a.recordedAt - b.recordedAt || a.id.localeCompare(b.id);

/** The whole view: people, one person's timeline at a moment (when asked), every decision checked and the splits. */
export function computeKnowledge(input: KnowledgeInput, request: Omit<KnowledgeRequest, 'incidentId'> & { incidentId: string }): KnowledgeView {
  const entries = [...input.entries].sort(byTime);
  const known = knowledgeOf({ ...input, entries });
  const thresholdMs = request.thresholdMinutes * 60_000;
  const decisions = entries.filter((e) => e.kind === 'decision').map((decision) => checkDecision(decision, entries, known, thresholdMs));
  const names = new Set([...entries.map((e) => e.authorId), ...input.reach.map((r) => r.actor)]);
  const people = [...names].sort().map((name) => ({
    name,
    devices: known.devicesOf(name),
    knownUntil: known.knownUntil(name),
    decisions: decisions.filter((d) => d.decision.authorId === name).length,
  }));
  let view: PersonView | null = null;
  if (request.person !== undefined) {
    const person = request.person;
    if (!names.has(person)) {
      const choices = [...names].sort().join(', ') || 'nobody yet';
      throw new KnowledgeError(`nobody named ${person} wrote or held anything in this incident; choose one of: ${choices}`);
    }
    // By default, as of the last thing recorded: the newest entry or receipt.
    const at = request.at ?? Math.max(entries.at(-1)?.recordedAt ?? 0, ...input.reach.map((r) => r.newestAt));
    const asSeen = entries
      .filter((e) => e.recordedAt <= at)
      .map((e) => {
        const held = known.heldAt(person, e);
        return { ...e, state: known.stateAt(person, e, at), heldAt: held !== null && held <= at ? held : null };
      });
    const counts = { seen: 0, unseen: 0, unknown: 0 };
    for (const e of asSeen) counts[e.state] += 1;
    view = { person, at, entries: asSeen, counts };
  }
  return { incidentId: request.incidentId, thresholdMs, people, view, decisions, splits: splitsOf(decisions, known) };
}

/** A request the data cannot answer (a person nobody knows): the engine turns it into a bad-request error. */
export class KnowledgeError extends Error {}

function checkDecision(decision: KnownEntry, entries: readonly KnownEntry[], known: ReturnType<typeof knowledgeOf>, thresholdMs: number): DecisionCheck {
  const author = decision.authorId;
  const before = entries.filter((e) => e.authorId !== author && e.recordedAt <= decision.recordedAt - thresholdMs);
  const missedBy = new Map<string, KnownEntry[]>();
  let uncertain = 0;
  for (const entry of before) {
    const state = known.stateAt(author, entry, decision.recordedAt);
    if (state === 'unknown') uncertain += 1;
    if (state === 'unseen') missedBy.set(entry.authorId, [...(missedBy.get(entry.authorId) ?? []), entry]);
  }
  const missed = [...missedBy].map(([who, list]) => ({ author: who, entries: list })).sort((a, b) => byTime(a.entries[0], b.entries[0]));
  return { decision, missed, uncertain };
}

/** Pairs of people who each decided without the other's entries: one flag per pair, at their first such decisions. */
function splitsOf(decisions: readonly DecisionCheck[], known: ReturnType<typeof knowledgeOf>): SplitFlag[] {
  const flags: SplitFlag[] = [];
  const seenPairs = new Set<string>();
  for (const first of decisions) {
    const a = first.decision.authorId;
    for (const missed of first.missed) {
      const b = missed.author;
      const pair = [a, b].sort().join('\n');
      if (seenPairs.has(pair)) continue;
      const second = decisions.find((d) => d.decision.authorId === b && d.missed.some((m) => m.author === a));
      if (!second) continue;
      seenPairs.add(pair);
      const [early, late] = byTime(first.decision, second.decision) <= 0 ? [first, second] : [second, first];
      flags.push({ groups: [sideOf(early, late, known), sideOf(late, early, known)], decisions: [early.decision, late.decision] });
    }
  }
  return flags;
}

/** One side of a split: the decision's author, and the authors whose entries they held that the other side's decision missed. */
function sideOf(own: DecisionCheck, other: DecisionCheck, known: ReturnType<typeof knowledgeOf>): string[] {
  const author = own.decision.authorId;
  const missedByOther = other.missed.filter((m) => m.author !== author && m.author !== other.decision.authorId);
  const with_ = missedByOther
    .filter((m) => m.entries.some((e) => known.stateAt(author, e, own.decision.recordedAt) === 'seen'))
    .map((m) => m.author)
    .sort();
  return [author, ...with_];
}

const quoted = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return `"${line.length > 60 ? `${line.slice(0, 57)}…` : line}"`;
};
const kindWord = (kind: TimelineKind) => (kind === 'note' ? 'note' : kind === 'comms' ? 'comms entry' : kind === 'system' ? 'system entry' : kind);
const listed = (items: readonly string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** "When hana decided "fail over" at 12:04, bob's observation from 12:01 had not reached hana." (`time` formats a moment.) */
export function describeDecision(check: DecisionCheck, time: (ms: number) => string): string {
  const { decision, missed } = check;
  const head = `When ${decision.authorId} decided ${quoted(decision.text)} at ${time(decision.recordedAt)}`;
  if (missed.length === 0) {
    const uncovered = check.uncertain > 0 ? ` (${check.uncertain} not covered by receipts yet)` : '';
    return `${head}, every earlier entry by others had reached ${decision.authorId}${uncovered}.`;
  }
  const parts = missed.map(({ author, entries }) => {
    const first = entries[0];
    const more = entries.length > 1 ? ` (and ${entries.length - 1} more of theirs)` : '';
    return `${author}'s ${kindWord(first.kind)} from ${time(first.recordedAt)}${more}`;
  });
  return `${head}, ${listed(parts)} had not reached ${decision.authorId}.`;
}

/** "Split war room: hana (with carol) decided … at 12:04 without bob's entries, and bob decided … at 12:05 without hana's or carol's." */
export function describeSplit(flag: SplitFlag, time: (ms: number) => string): string {
  const side = (group: string[], decision: KnownEntry) =>
    `${group[0]}${group.length > 1 ? ` (with ${listed(group.slice(1))})` : ''} decided ${quoted(decision.text)} at ${time(decision.recordedAt)}`;
  const whose = (group: string[]) => group.map((name) => `${name}'s`).join(' or ');
  const [g1, g2] = flag.groups;
  const [d1, d2] = flag.decisions;
  return `Split war room: ${side(g1, d1)} without ${whose(g2)} entries, and ${side(g2, d2)} without ${whose(g1)}.`;
}
