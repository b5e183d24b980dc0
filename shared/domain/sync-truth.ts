// What sync really stands at, in words, for the sidebar and the war room header: each peer (the
// central service, a war-room hub) on its own, the war room this laptop hosts, what waits for whom,
// and the warnings that matter (a wrong clock, writes stranded here). Green only when every peer
// has everything.
import { withPeerDefaults, type HostingStatus, type PeerStatus, type SyncStatus } from './sync-status';
import { syncErrorWords, type SyncErrorWords } from './sync-errors';
import { durationStyles, formatDuration } from '../time';

export type SyncTone = 'ok' | 'busy' | 'warn' | 'bad';

export interface PeerTruth {
  id: string;
  kind: PeerStatus['kind'];
  /** "Central", "War room hub". */
  name: string;
  /** "Central unreachable since 12:03", "War room hub: 3 laptops", "Central synced 12:04". */
  headline: string;
  tone: SyncTone;
  /** The peer could not be reached (its writes wait here). */
  isUnreachable: boolean;
  /** The error in words ("Central is not running or is restarting."), or null. */
  problem: string | null;
  /** What to do about it, or what happens meanwhile. */
  advice: string | null;
  /** The error as reported, for a tooltip. */
  raw: string | null;
}

export interface SyncWarning {
  kind: 'clock' | 'stranded' | 'held' | 'offline';
  text: string;
}

export interface SyncTruth {
  tone: SyncTone;
  /** The first part: the most important thing. */
  label: string;
  /** The other parts, joined with " · ". */
  detail: string;
  /** Everything on one line: label · detail. */
  line: string;
  /** Errors in words, then the raw errors: for a tooltip. */
  tooltip: string;
  /** The first error in words, for a line under the label (null when there is none). */
  problem: string | null;
  peers: PeerTruth[];
  /** For the war room header: clock off by over a minute, writes refused and waiting, ops held. */
  warnings: SyncWarning[];
}

/** Over this (either way) the clock warning shows. */
export const clockWarningMs = 60_000;

const rank: Record<SyncTone, number> = { ok: 0, busy: 1, warn: 2, bad: 3 };
const worst = (tones: SyncTone[]): SyncTone => tones.reduce<SyncTone>((a, b) => (rank[b] > rank[a] ? b : a), 'ok');

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "3 h 2 min", "5 min", "45 s": how far two clocks are apart. */
export const spanInWords = (ms: number): string => formatDuration(ms, durationStyles.gap);

function peerName(peer: PeerStatus, all: PeerStatus[]): string {
  if (peer.kind === 'central') return 'Central';
  const hubs = all.filter((p) => p.kind === 'hub');
  if (hubs.length <= 1) return 'War room hub';
  try {
    return `War room hub ${new URL(peer.url).host}`;
  } catch {
    return `War room hub ${peer.id}`;
  }
}

/** "central", "the war room hub": what waits "for" it. */
const forWhom = (name: string) => (name === 'Central' ? 'central' : `the ${name.charAt(0).toLowerCase()}${name.slice(1)}`);

function describePeer(status: PeerStatus, all: PeerStatus[], time: (ms: number) => string): PeerTruth {
  const peer = withPeerDefaults(status);
  const name = peerName(status, all);
  const words: SyncErrorWords | null = peer.lastError ? syncErrorWords(peer.lastError) : null;
  const problem = words ? `${name} ${words.predicate}.` : null;
  const base = { id: peer.id, kind: peer.kind, name, problem, advice: words?.advice ?? null, raw: words?.raw ?? null, isUnreachable: false };
  if (words && !words.isUnreachable && peer.state !== 'connected') {
    // It answered, and said no: not a network matter, someone must act.
    return { ...base, tone: 'bad', headline: `${name} ${words.predicate}` };
  }
  const isUnreachable = peer.unreachableSince !== null || (peer.state !== 'connected' && words !== null);
  if (isUnreachable) {
    const since = peer.unreachableSince ?? peer.lastAttemptAt;
    return { ...base, isUnreachable: true, tone: 'warn', headline: `${name} unreachable${since ? ` since ${time(since)}` : ''}` };
  }
  if (peer.state === 'offline') return { ...base, isUnreachable: true, tone: 'warn', headline: `${name} not reached yet` };
  if (peer.state === 'syncing' && peer.lastSuccessAt === null) return { ...base, tone: 'busy', headline: `${name}: connecting…` };
  const tone: SyncTone = peer.state === 'syncing' || peer.pending > 0 ? 'busy' : 'ok';
  if (peer.kind === 'hub') {
    const members = peer.hubMembers;
    return { ...base, tone, headline: members !== null ? `${name}: ${plural(members, 'laptop')}` : `${name}: connected` };
  }
  return { ...base, tone, headline: peer.lastSuccessAt ? `${name} synced ${time(peer.lastSuccessAt)}` : `${name}: connected` };
}

function hostingLine(hosting: HostingStatus): string {
  if (hosting.members === 0) return 'Hosting the war room (nobody has joined yet)';
  return `Hosting the war room for ${plural(hosting.members, 'laptop')}`;
}

/**
 * `hosting`: the war room this laptop hosts, or null; `time`: how a moment is shown (12:03).
 * Pure, so every sentence is tested without a UI.
 */
export function describeSync(sync: SyncStatus, hosting: HostingStatus | null | undefined, time: (ms: number) => string): SyncTruth {
  const peers = sync.peers.map((p) => describePeer(p, sync.peers, time));
  const full = sync.peers.map(withPeerDefaults);
  const warnings: SyncWarning[] = [];
  const waiting: string[] = [];
  const tones: SyncTone[] = peers.map((p) => p.tone);

  full.forEach((peer, i) => {
    const name = peers[i].name;
    if (peer.pending > 0) waiting.push(`${peer.pending} waiting for ${forWhom(name)}`);
    if (peer.waitingRefused > 0) {
      const why = peer.waitingReasons.length ? `: ${peer.waitingReasons.slice(0, 2).join('; ')}` : '';
      const text = `${plural(peer.waitingRefused, 'change')} refused by ${forWhom(name)}, kept on this laptop to send again${why}`;
      waiting.push(`${peer.waitingRefused} refused by ${forWhom(name)}`);
      warnings.push({ kind: 'stranded', text });
      tones.push('bad');
    }
    if (peer.held > 0) {
      warnings.push({ kind: 'held', text: `${plural(peer.held, 'change')} from ${forWhom(name)} held to retry (not applied yet)` });
      tones.push('warn');
    }
  });

  // One clock warning, from the peer that measured the largest offset.
  const measured = full.filter((p) => p.clockOffsetMs !== null && Math.abs(p.clockOffsetMs) > clockWarningMs);
  if (measured.length > 0) {
    const peer = measured.reduce((a, b) => (Math.abs(b.clockOffsetMs!) > Math.abs(a.clockOffsetMs!) ? b : a));
    const offset = peer.clockOffsetMs!;
    const name = peers[full.indexOf(peer)].name;
    // The offset is the peer's clock minus ours: a peer ahead means this clock is behind.
    warnings.push({
      kind: 'clock',
      text: `This laptop's clock is ${spanInWords(offset)} ${offset > 0 ? 'behind' : 'ahead of'} ${forWhom(name)}'s: set it right. Entries are stamped with corrected time meanwhile.`,
    });
    tones.push('warn');
  }

  // While no peer is in reach (and no laptop is in the room this one hosts), what waits here
  // reaches nobody: say so.
  const reachable = peers.filter((p) => !p.isUnreachable);
  const waitingHere = Math.min(...full.map((p) => p.pending));
  const isServingRoom = hosting ? (hosting.liveMembers ?? hosting.members) > 0 : false;
  if (peers.length > 0 && reachable.length === 0 && !isServingRoom && waitingHere > 0) {
    warnings.push({ kind: 'offline', text: `${plural(waitingHere, 'change')} wait on this laptop: no server or war room hub is reachable` });
  }

  const parts = [...peers.map((p) => p.headline)];
  if (hosting) parts.push(hostingLine(hosting));
  parts.push(...waiting);

  const problems = peers.filter((p) => p.problem);
  const tooltip = [...problems.map((p) => `${p.problem} ${p.advice}`), ...problems.map((p) => `${p.name}: ${p.raw}`)].join('\n');

  if (sync.peers.length === 0) {
    if (hosting) return truth('ok', [hostingLine(hosting)], '', [], warnings);
    return truth('ok', ['Local replica', 'Sync: no server configured'], '', [], warnings);
  }
  const tone = worst(tones);
  if (tone === 'ok') {
    // Every peer has everything: say so plainly, then the details.
    const where = peers.map((p) => forWhom(p.name)).join(' + ');
    const latest = Math.max(0, ...full.map((p) => p.lastSuccessAt ?? 0));
    const details = peers.filter((p) => p.kind === 'hub').map((p) => p.headline);
    if (hosting) details.push(hostingLine(hosting));
    if (latest) details.push(`last ${time(latest)}`);
    return truth('ok', [`Synced with ${where}`, ...details], tooltip, peers, warnings);
  }
  return truth(tone, parts, tooltip, peers, warnings);
}

function truth(tone: SyncTone, parts: string[], tooltip: string, peers: PeerTruth[], warnings: SyncWarning[]): SyncTruth {
  const [label, ...rest] = parts;
  const detail = rest.join(' · ');
  const problem = peers.find((p) => p.problem)?.problem ?? null;
  return { tone, label, detail, line: detail ? `${label} · ${detail}` : label, tooltip, problem, peers, warnings };
}
