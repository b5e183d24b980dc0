// The open /v1/sync/live sockets of one node: pinged so a laptop that vanished (its machine gone
// without closing the connection) is dropped within two intervals, and counted; a war-room hub
// tells its members how many laptops it serves (`members`) whenever that changes.
import type { WebSocket } from 'ws';
import type { HubNotice } from '../sync';

export interface LiveRoom {
  add(socket: WebSocket): void;
  count(): number;
  close(): void;
}

export function createLiveRoom(options: { announceMembers: boolean; heartbeatMs?: number; onCount?: (count: number) => void }): LiveRoom {
  const sockets = new Map<WebSocket, { isAlive: boolean }>();
  const announce = () => {
    options.onCount?.(sockets.size);
    if (!options.announceMembers) return;
    const text = JSON.stringify({ members: sockets.size } satisfies HubNotice);
    for (const socket of sockets.keys()) socket.send(text, () => undefined);
  };
  const timer = setInterval(() => {
    for (const [socket, state] of sockets) {
      if (!state.isAlive) {
        socket.terminate();
        continue;
      }
      state.isAlive = false;
      try {
        socket.ping();
      } catch {
        // closing already
      }
    }
  }, options.heartbeatMs ?? 5000);
  timer.unref();
  return {
    add(socket) {
      const state = { isAlive: true };
      sockets.set(socket, state);
      socket.on('pong', () => (state.isAlive = true));
      socket.on('ping', () => (state.isAlive = true));
      socket.on('close', () => {
        if (sockets.delete(socket)) announce();
      });
      announce();
    },
    count: () => sockets.size,
    close() {
      clearInterval(timer);
    },
  };
}
