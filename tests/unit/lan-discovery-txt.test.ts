// What a war-room announcement's TXT records become in the list: control characters, bidirectional
// overrides and zero-width characters are dropped, so an announcement cannot disguise what it shows.
import type { Service } from 'bonjour-service';
import { describe, expect, it } from 'vitest';
import { roomOf } from '../../electron/engine/discovery/lan-discovery';

const fp = 'ab'.repeat(32);
const service = (txt: Record<string, string>, host = 'laptop.local') =>
  ({ name: 'Holdfast war room 0011223344556677', host, port: 8443, addresses: ['10.0.0.2'], txt: { fp, ...txt } }) as unknown as Service;

describe('a nearby war room from TXT records', () => {
  it('drops control, bidi and zero-width characters from the title, host and who hosts it', () => {
    const room = roomOf(service({ title: 'Power\u202e loss\u0007\n in DC1\u200b', by: '\u2066alice\u2069\u001b[2J', host: 'ops\u200f-laptop' }, 'x\u0000.local'), 1)!;
    expect(room.title).toBe('Power loss in DC1');
    expect(room.hostedBy).toBe('alice[2J');
    expect(room.hostName).toBe('ops-laptop');
    expect(room.fingerprint).toBe(fp);
    expect(roomOf(service({ title: '\u202e\u200b' }), 1)!.title).toBe('War room');
  });

  it('refuses a fingerprint carrying hidden characters rather than cleaning it into a valid one', () => {
    expect(roomOf(service({ fp: `${fp.slice(0, 10)}\u200b${fp.slice(10)}` }), 1)).toBeNull();
  });
});
