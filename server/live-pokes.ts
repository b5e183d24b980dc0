// The service's pokes across nodes: every poke this node emits (ops pushed here, pipeline events,
// inbound webhooks) is published to the other nodes on the same database, and theirs are emitted
// here for this node's live sockets. A node alone (SQLite, or a store without cross-node pokes)
// only pokes its own sockets.
import type { EventEmitter } from 'node:events';
import type { Poke } from '@shared/sync';
import type { CrossNodePokes } from './storage/postgres-pokes';

export interface PokeRelay {
  /** Settles once pokes from other nodes are heard. */
  ready: Promise<void>;
  stop(): void;
}

export function relayAcrossNodes(pokes: EventEmitter, crossNode: CrossNodePokes | undefined): PokeRelay {
  if (!crossNode) return { ready: Promise.resolve(), stop: () => undefined };
  let isRelaying = false;
  const publish = (poke: Poke) => {
    if (!isRelaying) crossNode.publish([poke.streamId]);
  };
  pokes.on('poke', publish);
  const unsubscribe = crossNode.subscribe((streamIds) => {
    isRelaying = true;
    try {
      for (const streamId of streamIds) pokes.emit('poke', { streamId } satisfies Poke);
    } finally {
      isRelaying = false;
    }
  });
  return {
    ready: crossNode.ready(),
    stop() {
      pokes.off('poke', publish);
      unsubscribe();
    },
  };
}
