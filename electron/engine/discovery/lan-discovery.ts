// War rooms on the local network, with DNS-SD over multicast DNS (bonjour-service): a hub announces
// `_holdfast._tcp` with its port in the SRV record and, in TXT records, the incident it is for, who
// hosts it and the SHA-256 fingerprint of its TLS certificate. Laptops browse the same type and list
// what they hear. An announcement vouches for nothing: joining still takes the join code and a
// certificate, and the TLS certificate the hub presents must have the fingerprint it announced
// (pinned-tls refuses any other). Where multicast cannot run, people type the address instead.
import { hostname } from 'node:os';
import { Bonjour, type Browser, type Service } from 'bonjour-service';
import { discoveryServiceType, type NearbyStatus, type NearbyWarRoom } from '@shared/domain/outage-api';
import { isFingerprint, normalizeFingerprint } from '@shared/hub-link';

/** What a hub announces. */
export interface Announcement {
  port: number;
  title: string;
  hostedBy: string;
  fingerprint: string;
  deviceId: string;
}

export interface LanDiscovery {
  /** Announces a hub (replacing an earlier announcement of this laptop). */
  announce(announcement: Announcement): Promise<void>;
  unannounce(): Promise<void>;
  /** War rooms heard so far; the first call starts listening. */
  nearby(): NearbyStatus;
  room(id: string): NearbyWarRoom | undefined;
  close(): Promise<void>;
}

export interface DiscoveryOptions {
  now?: () => number;
  log?: (line: string) => void;
  /** Where multicast is not wanted at all (HOLDFAST_DISCOVERY=off): everything answers "not available". */
  isDisabled?: boolean;
}

const txtMax = 200;
/**
 * A TXT value as shown and used: without control characters, bidirectional overrides and isolates,
 * or zero-width characters, so an announcement cannot reorder or hide what the list shows.
 */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
export const cleanTxt = (text: string) => text.replace(unsafe, '').trim();
const cut = (text: string, max = txtMax) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const isIpv4 = (address: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(address);

/** The instance name of a device's hub: unique on the network, short enough for DNS (63 bytes). */
export const instanceName = (deviceId: string) => `Holdfast war room ${deviceId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 16)}`;

/** A browsed service as a war room, or null when its records are not a Holdfast hub's. */
export function roomOf(service: Service, seenAt: number): NearbyWarRoom | null {
  const txt = (service.txt ?? {}) as Record<string, unknown>;
  const raw = (key: string) => (typeof txt[key] === 'string' ? txt[key] : Buffer.isBuffer(txt[key]) ? txt[key].toString('utf8') : '');
  const text = (key: string) => cleanTxt(raw(key));
  const fingerprint = normalizeFingerprint(raw('fp'));
  if (!isFingerprint(fingerprint) || !Number.isInteger(service.port) || service.port <= 0) return null;
  const addresses = (service.addresses ?? []).filter(isIpv4);
  // The address the announcement came from is one this laptop reaches; else the first announced.
  const from = service.referer?.address;
  const address = from && isIpv4(from) ? from : addresses[0];
  if (!address) return null;
  return {
    id: service.name,
    title: cut(text('title') || 'War room', 120),
    hostedBy: cut(text('by'), 100),
    hostName: cut(text('host') || cleanTxt(service.host ?? ''), 100),
    url: `https://${address}:${service.port}`,
    addresses: addresses.length > 0 ? addresses : [address],
    port: service.port,
    fingerprint,
    seenAt,
  };
}

export function createLanDiscovery(options: DiscoveryOptions = {}): LanDiscovery {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  let bonjour: Bonjour | null = null;
  let failure: string | null = options.isDisabled ? 'discovery is turned off on this laptop (HOLDFAST_DISCOVERY=off)' : null;
  let browser: Browser | null = null;
  let published: { service: Service; id: string; title: string } | null = null;
  const seen = new Map<string, NearbyWarRoom>();

  const multicast = (): Bonjour | null => {
    if (failure) return null;
    if (bonjour) return bonjour;
    try {
      bonjour = new Bonjour({}, (error: Error) => {
        failure = `multicast DNS cannot run on this network (${error.message}): type the address instead`;
        log(`holdfast: war-room discovery stopped: ${error.message}`);
      });
    } catch (error) {
      failure = `multicast DNS cannot run here (${(error as Error).message}): type the address instead`;
    }
    return bonjour;
  };

  const startBrowsing = () => {
    const mdns = multicast();
    if (!mdns || browser) return;
    const found = mdns.find({ type: discoveryServiceType, protocol: 'tcp' });
    const heard = (service: Service) => {
      const room = roomOf(service, now());
      if (room) seen.set(room.id, room);
    };
    found.on('up', heard);
    found.on('txt-update', heard);
    found.on('srv-update', heard);
    found.on('down', (service: Service) => seen.delete(service.name));
    browser = found;
  };

  const stopPublished = () =>
    new Promise<void>((resolve) => {
      const current = published;
      published = null;
      if (!current) return resolve();
      (current.service.stop as (done: () => void) => void)(() => resolve());
      // A goodbye that cannot be sent (network gone) must not hold the caller.
      setTimeout(resolve, 1000).unref();
    });

  return {
    async announce(announcement) {
      await stopPublished();
      const mdns = multicast();
      if (!mdns) return;
      const id = instanceName(announcement.deviceId);
      const service = mdns.publish({
        name: id,
        type: discoveryServiceType,
        protocol: 'tcp',
        port: announcement.port,
        disableIPv6: true,
        // Probing would refuse to announce while an earlier announcement of this same laptop is still cached.
        probe: false,
        txt: {
          v: '1',
          title: cut(announcement.title),
          by: cut(announcement.hostedBy, 100),
          host: cut(hostname(), 100),
          fp: normalizeFingerprint(announcement.fingerprint),
        },
      });
      service.on('error', (error: Error) => log(`holdfast: announcing the war room failed: ${error.message}`));
      published = { service, id, title: announcement.title };
    },
    unannounce: stopPublished,
    nearby() {
      startBrowsing();
      // Ask again each time the list is read: rooms that started since are heard within a second.
      browser?.update();
      const rooms = [...seen.values()].filter((room) => room.id !== published?.id).sort((a, b) => b.seenAt - a.seenAt || a.title.localeCompare(b.title));
      return { isAvailable: failure === null, reason: failure, rooms, announcing: published ? { id: published.id, title: published.title } : null };
    },
    room: (id) => seen.get(id),
    async close() {
      await stopPublished();
      browser?.stop();
      browser = null;
      const mdns = bonjour;
      bonjour = null;
      if (mdns) await new Promise<void>((resolve) => mdns.destroy(() => resolve()));
    },
  };
}
