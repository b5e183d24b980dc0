// The connected API client, set once at start-up; slices reach the engine through it.
import type { Client } from '../api/client';

let current: Client | null = null;

export function setClient(client: Client): void {
  current = client;
}

export function client(): Client {
  if (!current) throw new Error('The Holdfast API is not connected yet.');
  return current;
}
