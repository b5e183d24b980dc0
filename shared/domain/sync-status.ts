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
  /**
   * The peer's clock minus this replica's, in ms, as measured on the last exchange (null until
   * measured). Over a minute either way the war room header warns.
   */
  clockOffsetMs?: number | null;
  /** Since when the peer has not answered (null while it answers). */
  unreachableSince?: number | null;
  /** When the live socket last heard from the peer (a heartbeat or any message). */
  lastHeartbeatAt?: number | null;
  /** Local ops the peer refused that are still queued here, to be sent again once fixed. */
  waitingRefused?: number;
  /** A few distinct reasons the peer gave for the ops in `waitingRefused` (newest first). */
  waitingReasons?: string[];
  /** Ops pulled from the peer that this replica could not apply yet and holds to retry. */
  held?: number;
  /** On a war-room hub: how many laptops it serves now, as the hub last said (null when unknown). */
  hubMembers?: number | null;
}

/** The fields H1/H2 fill, with their values when a runner has not (yet) said. */
export const peerStatusDefaults: Omit<Required<PeerStatus>, keyof PeerStatusBase> = {
  clockOffsetMs: null,
  unreachableSince: null,
  lastHeartbeatAt: null,
  waitingRefused: 0,
  waitingReasons: [],
  held: 0,
  hubMembers: null,
};

type PeerStatusBase = Pick<PeerStatus, 'id' | 'kind' | 'url' | 'userName' | 'role' | 'state' | 'lastSuccessAt' | 'lastAttemptAt' | 'pending' | 'lastError' | 'refused'>;

/** A peer status with every optional field given its default (a field a runner left undefined too). */
export function withPeerDefaults(peer: PeerStatus): Required<PeerStatus> {
  const full = { ...peerStatusDefaults, ...peer } as Required<PeerStatus>;
  for (const key of Object.keys(peerStatusDefaults) as (keyof typeof peerStatusDefaults)[]) {
    if (full[key] === undefined) (full as Record<string, unknown>)[key] = peerStatusDefaults[key];
  }
  return full;
}

/** The war room this replica hosts, as sync status carries it (so one status tells the whole story). */
export interface HostingStatus {
  /** Laptops that joined the room. */
  members: number;
  /** Of those, how many have a live connection now (null when the hub does not say). */
  liveMembers: number | null;
}

export interface SyncStatus {
  state: 'not-configured' | PeerState;
  peers: PeerStatus[];
  /**
   * Increases with every status the engine reports, so a UI that hears of statuses both as call
   * results and as events keeps the newest, whatever order they arrive in.
   */
  version: number;
  /** The war-room hub this replica hosts, or null/absent when it hosts none. */
  hosting?: HostingStatus | null;
}

/** Whether `next` may replace the status shown (`known`): only a status at least as new, whatever order calls and events arrive in. */
export function isNewerSyncStatus(next: SyncStatus, known: SyncStatus | undefined): boolean {
  return !known || next.version >= known.version;
}

/** A laptop in the war room, as the host sees it. */
export interface HubMember {
  name: string;
  /** The role its certificate names; `guest` for a laptop the host admitted as a guest. */
  role: CertRole;
  deviceId: string;
  joinedAt: number;
}

export interface HubStatus {
  isRunning: boolean;
  /** Addresses other laptops on the network can reach (https://host:port). */
  urls: string[];
  /** One join link per address: the address, the join code and the certificate's fingerprint. */
  links?: string[];
  /** The current join code, in groups of four (the readable form). */
  joinCode: string | null;
  /** SHA-256 of the hub's TLS certificate, 64 hex digits: joiners pin it. */
  fingerprint?: string | null;
  /** When the current code was made. */
  codeSince?: number;
  /** Wrong guesses at the current code (it is replaced after a few). */
  wrongGuesses?: number;
  /** Why the current code replaced the one before; null for the room's first code. */
  rotatedBecause?: string | null;
  clients: string[];
  members?: HubMember[];
  /** Members with a live socket open now (absent when the hub does not track it). */
  liveMembers?: number;
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

/** Join a war room with the link the host shared (or scanned). */
export const joinByLinkRequest = z.object({ link: z.string({ error: 'must be text' }).trim().min(1, { error: "paste the war room's join link" }).max(500) }).strict();

/**
 * Join a war room with what the host reads out: the address, the join code and the certificate's
 * fingerprint (all three: the fingerprint is how this laptop knows it reached the real hub before
 * it sends the code).
 */
export const joinByCodeRequest = z
  .object({
    url: serverUrl.refine((u) => u.startsWith('https://'), { error: 'a war room speaks only TLS: its address starts with https://' }),
    code: z
      .string({ error: 'must be text' })
      .trim()
      .min(4, { error: 'give the whole join code the host reads out' })
      .max(64, { error: 'must be at most 64 characters: give the join code the host reads out' }),
    fingerprint: z
      .string({ error: "must be text: the hub certificate's SHA-256 fingerprint the host shows" })
      .trim()
      .min(1, { error: "type the certificate's SHA-256 fingerprint the host's screen shows" })
      .max(200, { error: "must be at most 200 characters: the certificate's SHA-256 fingerprint the host's screen shows" }),
  })
  .strict();

/** Join a war room with its link, or with what the host reads out. */
export const joinHubRequest = z.union([joinByLinkRequest, joinByCodeRequest], { error: 'send either link, or url with code and fingerprint' });
export type JoinHubRequest = z.infer<typeof joinHubRequest>;

export const peerRequest = z.object({ peerId: z.string().min(1).max(100) }).strict();

export const startHubRequest = z.object({ port: z.number({ error: 'must be a port number' }).int().min(0).max(65535).default(7440) }).strict();
