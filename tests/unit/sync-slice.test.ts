import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '@shared/domain/sync-status';
import { useStore } from '../../renderer/src/store';

const status = (version: number, state: SyncStatus['state']): SyncStatus => ({ version, state, peers: [] });

describe('sync state in the UI', () => {
  it('keeps the newest status whatever order call results and events arrive in', () => {
    const { setSync } = useStore.getState();
    setSync(status(5, 'connected')); // an event about the finished first sync
    setSync(status(3, 'offline')); // the connect call's answer, computed before that sync ran
    expect(useStore.getState().sync).toMatchObject({ version: 5, state: 'connected' });
    setSync(status(6, 'syncing'));
    expect(useStore.getState().sync.state).toBe('syncing');
  });
});
