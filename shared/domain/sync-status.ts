// Sync as the UI sees it: each peer's state, and the war-room hub this replica may be hosting.
import { z } from 'zod';

export type PeerState = 'connected' | 'syncing' | 'offline';

import type { CertRole } from '../roles';

export interface PeerStatus {
  id: string;
  kind: 'central' | 'hub';
  url: string;
  /** Who this replica is on that peer. */
  userName: string;
  /**
   * That user's role there, once the peer has said (null until the first successful contact); on a
   * war-room hub it is the certificate's, `guest` for a laptop admitted as a guest.
   */
  role: CertRole | null;
  state: PeerState;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  /** Local ops the peer has not acknowledged yet. */
  pending: number;
  lastError: string | null;
  /** Ops the peer refused, or we refused from it. */
  refused: number;
}

export interface SyncStatus {
  state: 'not-configured' | PeerState;
  peers: PeerStatus[];
  /**
   * Increases with every status the engine reports, so a UI that hears of statuses both as call
   * results and as events keeps the newest, whatever order they arrive in.
   */
  version: number;
}

export interface HubStatus {
  isRunning: boolean;
  /** Addresses other laptops on the network can reach, with the port. */
  urls: string[];
  joinCode: string | null;
  clients: string[];
}

const serverUrl = z
  .string({ error: 'must be a URL' })
  .trim()
  .url({ error: 'must be a URL such as https://holdfast.example.com' })
  .refine((u) => /^https?:\/\//.test(u), { error: 'must start with http:// or https://' })
  .transform((u) => u.replace(/\/+$/, ''));

export const connectRequest = z
  .object({ url: serverUrl, token: z.string({ error: 'must be text' }).trim().min(8, { error: 'paste the token printed by holdfast server user add' }).max(500) })
  .strict();

export const joinHubRequest = z.object({ url: serverUrl, code: z.string({ error: 'must be text' }).trim().min(4).max(64) }).strict();

export const peerRequest = z.object({ peerId: z.string().min(1).max(100) }).strict();

export const startHubRequest = z.object({ port: z.number({ error: 'must be a port number' }).int().min(0).max(65535).default(7440) }).strict();
