import { describe, expect, it } from 'vitest';
import type { HubStatus, SyncStatus } from '@shared/domain/sync-status';
import { hostingOf, hubStopped, withHosting, type HubHost } from '../../electron/engine/sync/sync-handlers';

const hostOf = (status: HubStatus | null): HubHost => ({
  current: () => (status ? { hub: {} as never, status: () => status } : null),
  start: () => Promise.reject(new Error('not in this test')),
  stop: () => Promise.reject(new Error('not in this test')),
});

const running = (members: number, liveMembers?: number): HubStatus => ({
  isRunning: true,
  urls: ['https://10.0.0.5:7440'],
  joinCode: 'ABCD-EFGH',
  clients: [],
  members: Array.from({ length: members }, (_, i) => ({ name: `p${i}`, role: 'responder' as const, deviceId: `d${i}`, joinedAt: i })),
  ...(liveMembers === undefined ? {} : { liveMembers }),
});

const offline: SyncStatus = { state: 'offline', peers: [], version: 7 };

describe('sync status carries the war room this laptop hosts', () => {
  it('counts the laptops that joined, and those live when the hub says', () => {
    expect(hostingOf(hostOf(running(3, 2)))).toEqual({ members: 3, liveMembers: 2 });
    expect(hostingOf(hostOf(running(1)))).toEqual({ members: 1, liveMembers: null });
  });

  it('says nothing is hosted when no hub runs', () => {
    expect(hostingOf(hostOf(null))).toBeNull();
    expect(hostingOf(hostOf(hubStopped))).toBeNull();
  });

  it('adds it to a status without changing the rest', () => {
    expect(withHosting(offline, hostOf(running(2)))).toEqual({ ...offline, hosting: { members: 2, liveMembers: null } });
  });
});
