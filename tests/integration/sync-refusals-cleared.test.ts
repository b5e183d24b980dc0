// A "refused by server" mark is forgotten once the refusal is resolved: the peer later took the op.
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/core/database';
import { migrate } from '../../electron/engine/core/schema';
import { createPeerStore } from '../../electron/engine/sync/peer-store';
import { tempDir } from '../support/temp';

const open: { close(): void }[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function store() {
  const db = openDatabase(tempDir('holdfast-refusals-'));
  migrate(db);
  open.push(db);
  const peers = createPeerStore(db);
  peers.add({ id: 'central', kind: 'central', url: 'http://127.0.0.1:7638', userName: 'dana' }, 1);
  peers.add({ id: 'hub:10.0.0.5:7440', kind: 'hub', url: 'https://10.0.0.5:7440', userName: 'dana' }, 1);
  return peers;
}

describe('refusals resolved are cleared', () => {
  it('forgets the refusal of an op the peer later took, and only that one', () => {
    const peers = store();
    peers.refuse('central', 'op-1', 'push', 'stamped more than 5 minutes ahead', 10);
    peers.refuse('central', 'op-2', 'push', 'stamped more than 5 minutes ahead', 10);
    peers.refuse('central', 'op-3', 'pull', 'signature does not verify', 10);
    peers.refuse('hub:10.0.0.5:7440', 'op-1', 'push', 'not a member', 10);
    expect(peers.refusedCount('central')).toBe(3);

    peers.clearRefusals('central', 'push', ['op-1', 'op-unknown']);
    expect(peers.refusedCount('central')).toBe(2);
    // Another peer's refusal of the same op, and a pull refusal, stand.
    expect(peers.refusedCount('hub:10.0.0.5:7440')).toBe(1);
    peers.clearRefusals('central', 'pull', ['op-2']);
    expect(peers.refusedCount('central')).toBe(2);
    peers.clearRefusals('central', 'push', ['op-2']);
    peers.clearRefusals('central', 'pull', ['op-3']);
    expect(peers.refusedCount('central')).toBe(0);
  });

  it('changes nothing when nothing is refused or nothing is named', () => {
    const peers = store();
    peers.clearRefusals('central', 'push', ['op-1']);
    peers.refuse('central', 'op-1', 'push', 'reason', 10);
    peers.clearRefusals('central', 'push', []);
    expect(peers.refusedCount('central')).toBe(1);
  });
});
