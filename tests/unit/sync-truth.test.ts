import { describe, expect, it } from 'vitest';
import { syncErrorSentence, syncErrorWords } from '@shared/domain/sync-errors';
import type { PeerStatus, SyncStatus } from '@shared/domain/sync-status';
import { describeSync, spanInWords } from '@shared/domain/sync-truth';

// 12:03 on the test's own clock: times are shown through the function passed in.
const time = (ms: number) => `${String(Math.floor(ms / 3_600_000) % 24).padStart(2, '0')}:${String(Math.floor(ms / 60_000) % 60).padStart(2, '0')}`;
const at = (h: number, m: number) => (h * 60 + m) * 60_000;

const central = (over: Partial<PeerStatus> = {}): PeerStatus => ({
  id: 'central',
  kind: 'central',
  url: 'http://127.0.0.1:7638',
  userName: 'dana',
  role: 'commander',
  state: 'connected',
  lastSuccessAt: at(12, 4),
  lastAttemptAt: at(12, 4),
  pending: 0,
  lastError: null,
  refused: 0,
  ...over,
});
const hub = (over: Partial<PeerStatus> = {}): PeerStatus => ({ ...central(), id: 'hub:10.0.0.5:7440', kind: 'hub', url: 'https://10.0.0.5:7440', ...over });
const status = (...peers: PeerStatus[]): SyncStatus => ({ state: peers.length ? 'connected' : 'not-configured', peers, version: 1 });

describe('errors in words', () => {
  it.each([
    ['cannot reach http://127.0.0.1:7638: connect ECONNREFUSED 127.0.0.1:7638', 'down', 'is not running or is restarting'],
    ['cannot reach http://10.1.1.1:7638: connect ETIMEDOUT 10.1.1.1:7638', 'timeout', 'is not answering in time'],
    ['cannot reach http://x:7638: The operation was aborted due to timeout', 'timeout', 'is not answering in time'],
    ['cannot reach https://holdfast.example.com: getaddrinfo ENOTFOUND holdfast.example.com', 'not-found', 'no address for holdfast.example.com'],
    ['cannot reach http://10.9.9.9:7638: connect EHOSTUNREACH 10.9.9.9:7638', 'no-route', 'cannot be reached from this network'],
    ['no answer from http://127.0.0.1:7638 for 5 s', 'silent', 'stopped answering'],
    ['cannot reach http://127.0.0.1:7638: other side closed', 'dropped', 'dropped the connection'],
    [
      'https://10.0.0.5:7440 presented a TLS certificate with SHA-256 fingerprint aa, but the join link says bb: refusing to connect (another machine may be posing as the hub); ask the host for the current link',
      'pin-mismatch',
      'a different certificate from the one in the join link',
    ],
    ['cannot reach https://h: self-signed certificate in certificate chain', 'certificate', 'does not trust'],
    ['missing, unknown or revoked token: send Authorization: Bearer <token>', 'unauthorized', 'token is missing or revoked'],
    ['dana is a pipeline token: pipelines get no device certificate', 'forbidden', 'refused a request'],
    ['HTTP 503 from http://127.0.0.1:7638', 'server-error', 'error 503'],
    ['HTTP 429 from http://127.0.0.1:7638', 'busy', 'asked this laptop to wait'],
  ])('%s', (raw, kind, words) => {
    const said = syncErrorWords(raw);
    expect(said.kind).toBe(kind);
    expect(said.predicate).toContain(words);
    expect(said.raw).toBe(raw);
    expect(said.predicate).not.toMatch(/ECONN|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH/);
  });

  it('reaching nobody is a network matter; an answer that says no is not', () => {
    expect(syncErrorWords('connect ECONNREFUSED 127.0.0.1:7638').isUnreachable).toBe(true);
    expect(syncErrorWords('missing, unknown or revoked token').isUnreachable).toBe(false);
  });

  it('keeps an unknown error readable, without the address prefix', () => {
    const said = syncErrorWords('cannot reach http://h:1: something odd happened');
    expect(said.kind).toBe('other');
    expect(said.predicate).toBe('reported a problem: something odd happened');
  });

  it('makes one sentence with what happens meanwhile', () => {
    expect(syncErrorSentence('Central', 'connect ECONNREFUSED 127.0.0.1:7638')).toBe(
      'Central is not running or is restarting. Entries are kept on this laptop and sent when it answers again.',
    );
  });
});

describe('the sync indicator tells the truth', () => {
  it('says so plainly when every peer has everything (and only then is it green)', () => {
    const shown = describeSync(status(central(), hub({ hubMembers: 3 })), null, time);
    expect(shown.tone).toBe('ok');
    expect(shown.label).toBe('Synced with central + the war room hub');
    expect(shown.detail).toBe('War room hub: 3 laptops · last 12:04');
    expect(shown.warnings).toEqual([]);
  });

  it('is not green with the service dead and a hub connected: per peer, with what waits for whom', () => {
    const down = central({
      state: 'offline',
      unreachableSince: at(12, 3),
      lastError: 'cannot reach http://127.0.0.1:7638: connect ECONNREFUSED 127.0.0.1:7638',
      pending: 80,
    });
    const shown = describeSync(status(down, hub({ hubMembers: 3 })), null, time);
    expect(shown.tone).toBe('warn');
    expect(shown.line).toBe('Central unreachable since 12:03 · War room hub: 3 laptops · 80 waiting for central');
    expect(shown.label).toBe('Central unreachable since 12:03');
    expect(shown.problem).toBe('Central is not running or is restarting.');
    expect(shown.tooltip).toContain('Central is not running or is restarting. Entries are kept on this laptop');
    expect(shown.tooltip).toContain('connect ECONNREFUSED 127.0.0.1:7638');
    // The hub has the entries: they are not stranded on this laptop.
    expect(shown.warnings).toEqual([]);
  });

  it('dates an outage from the failed attempt when the runner has not said since when', () => {
    const down = central({ state: 'offline', lastAttemptAt: at(9, 41), lastError: 'connect ETIMEDOUT 10.0.0.1:7638' });
    expect(describeSync(status(down), null, time).label).toBe('Central unreachable since 09:41');
  });

  it('tells the hub host it is serving the room, even with the service down', () => {
    const down = central({ state: 'offline', unreachableSince: at(12, 3), lastError: 'connect ECONNREFUSED 127.0.0.1:7638' });
    expect(describeSync(status(down), { members: 3, liveMembers: 3 }, time).line).toBe('Central unreachable since 12:03 · Hosting the war room for 3 laptops');
    expect(describeSync(status(), { members: 1, liveMembers: null }, time)).toMatchObject({ tone: 'ok', line: 'Hosting the war room for 1 laptop' });
    expect(describeSync(status(central()), { members: 2, liveMembers: 2 }, time).line).toBe('Synced with central · Hosting the war room for 2 laptops · last 12:04');
  });

  it('warns in the header of writes refused and still waiting, with the reasons, and of ops held', () => {
    const refused = central({ waitingRefused: 16, waitingReasons: ['stamped more than 5 minutes ahead of the server clock'], held: 2 });
    const shown = describeSync(status(refused), null, time);
    expect(shown.tone).toBe('bad');
    expect(shown.line).toContain('16 refused by central');
    expect(shown.warnings.map((w) => w.kind)).toEqual(['stranded', 'held']);
    expect(shown.warnings[0].text).toBe('16 changes refused by central, kept on this laptop to send again: stamped more than 5 minutes ahead of the server clock');
    expect(shown.warnings[1].text).toBe('2 changes from central held to retry (not applied yet)');
  });

  it('warns when the clock is off by over a minute, saying which way', () => {
    const behind = describeSync(status(central({ clockOffsetMs: 3 * 3_600_000 + 2 * 60_000 })), null, time);
    expect(behind.warnings).toEqual([{ kind: 'clock', text: expect.stringContaining("This laptop's clock is 3 h 2 min behind central's") }]);
    expect(behind.tone).toBe('warn');
    const ahead = describeSync(status(central({ clockOffsetMs: -5 * 60_000 })), null, time);
    expect(ahead.warnings[0].text).toContain('5 min ahead of central');
    expect(describeSync(status(central({ clockOffsetMs: 59_000 })), null, time).warnings).toEqual([]);
  });

  it('warns that entries exist only here while no peer is in reach', () => {
    const down = central({ state: 'offline', unreachableSince: at(12, 3), lastError: 'connect ECONNREFUSED 127.0.0.1:7638', pending: 5 });
    const hubDown = hub({ state: 'offline', unreachableSince: at(12, 5), lastError: 'no answer from https://10.0.0.5:7440 for 5 s', pending: 7 });
    expect(describeSync(status(down, hubDown), null, time).warnings).toEqual([
      { kind: 'offline', text: '5 changes wait on this laptop: no server or war room hub is reachable' },
    ]);
    // A host whose room has laptops in it is not cut off; one whose room is empty is.
    expect(describeSync(status(down), { members: 2, liveMembers: 2 }, time).warnings).toEqual([]);
    expect(describeSync(status(down), { members: 2, liveMembers: 0 }, time).warnings.map((w) => w.kind)).toEqual(['offline']);
  });

  it('is busy, not green, while writes are on their way', () => {
    expect(describeSync(status(central({ pending: 4 })), null, time)).toMatchObject({ tone: 'busy', line: 'Central synced 12:04 · 4 waiting for central' });
    expect(describeSync(status(central({ state: 'syncing', lastSuccessAt: null })), null, time)).toMatchObject({ tone: 'busy', label: 'Central: connecting…' });
  });

  it('says a refusal of access needs someone to act (red), not that the service is down', () => {
    const refusal = 'missing, unknown or revoked token: send Authorization: Bearer <token>';
    // However long it has been refusing (the runner counts any failure as unreachable).
    const shown = describeSync(status(central({ state: 'offline', lastError: refusal, unreachableSince: at(11, 0) })), null, time);
    expect(shown.tone).toBe('bad');
    expect(shown.label).toBe("Central does not accept this laptop's access any more (its token is missing or revoked)");
  });

  it('keeps the local-only wording when nothing is configured', () => {
    expect(describeSync(status(), null, time)).toMatchObject({ tone: 'ok', label: 'Local replica', detail: 'Sync: no server configured' });
  });

  it('reads fields a runner has not filled as their defaults', () => {
    const bare = central();
    expect(bare.clockOffsetMs).toBeUndefined();
    expect(describeSync(status(bare), null, time).warnings).toEqual([]);
  });

  it('spells spans of time', () => {
    expect(spanInWords(45_000)).toBe('45 s');
    expect(spanInWords(-5 * 60_000)).toBe('5 min');
    expect(spanInWords(3 * 3_600_000)).toBe('3 h');
  });
});
