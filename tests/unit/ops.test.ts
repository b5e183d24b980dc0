import { describe, expect, it } from 'vitest';
import { canonicalJson, isInCanonicalOrder } from '@shared/canonical';
import { encodeHlc } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import { mergeSet, stampWins } from '@shared/merge';
import { checkOp, envelopeKeys, genesisHash, hashOp, opBody, portableSha256Hex, type Op } from '@shared/ops';

const deviceId = '0123456789abcdef';
const incidentId = uuidv7(1_795_000_000_000);

function sign(op: Omit<Op, 'hash'>): Op {
  return { ...op, hash: hashOp(op) };
}

function incidentOp(fields: Op['fields'], overrides: Partial<Omit<Op, 'hash'>> = {}): Op {
  return sign({
    opId: uuidv7(1_795_000_000_100),
    hlc: encodeHlc({ ms: 1_795_000_000_100, counter: 0, deviceId }),
    streamId: `incident:${incidentId}`,
    actorId: 'alice',
    deviceId,
    entity: 'incident',
    rowId: incidentId,
    kind: 'set',
    fields,
    prevHash: genesisHash,
    ...overrides,
  });
}

describe('canonical JSON', () => {
  it('tells a value already in canonical key order from one that must be rewritten', () => {
    expect(isInCanonicalOrder({ a: { c: null, d: [1, { e: 1, f: 2 }] }, b: 1 })).toBe(true);
    expect(isInCanonicalOrder(JSON.parse(canonicalJson({ z: 1, a: { y: [{ q: 1, p: 2 }], b: 2 } })))).toBe(true);
    expect(isInCanonicalOrder({ b: 1, a: 2 })).toBe(false);
    expect(isInCanonicalOrder({ a: { d: 1, c: 2 } })).toBe(false);
    expect(isInCanonicalOrder({ a: [{ f: 1, e: 2 }] })).toBe(false);
    expect(isInCanonicalOrder({ a: undefined })).toBe(false);
    // Integer-like keys come first in property order, which is not text order.
    expect(isInCanonicalOrder({ '9': 1, '10': 2 })).toBe(false);
  });

  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, 'x'] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow();
  });
});

describe('checkOp', () => {
  it('accepts a well-formed op', () => {
    const op = incidentOp({ title: 'Checkout down', severity: 'SEV1' });
    expect(checkOp(op)).toEqual({ ok: true, op });
  });

  it.each([
    ['an unknown entity', (op: Op) => sign({ ...op, entity: 'payroll' as Op['entity'] }), 'entity: unknown entity'],
    ['the wrong kind for its entity', (op: Op) => sign({ ...op, kind: 'append' }), 'kind: incident ops must be "set"'],
    ['an unknown field', (op: Op) => sign({ ...op, fields: { colour: 'red' } }), 'unknown field(s) colour'],
    ['a bad field value', (op: Op) => sign({ ...op, fields: { severity: 'SEV0' } }), 'fields.severity'],
    ['no fields', (op: Op) => sign({ ...op, fields: {} }), 'at least one field'],
    ['another stream', (op: Op) => sign({ ...op, streamId: 'library' }), 'belongs to another stream'],
    ['a clock of another device', (op: Op) => sign({ ...op, hlc: encodeHlc({ ms: 1, counter: 0, deviceId: 'ffffffffffffffff' }) }), 'hlc: clock was not issued'],
    ['content that does not match its hash', (op: Op) => ({ ...op, fields: { title: 'Checkout fine' } }), 'hash: does not match'],
    ['a malformed id', (op: Op) => sign({ ...op, opId: 'op-1' }), 'opId: must be a UUIDv7'],
    ['an extra property', (op: Op) => ({ ...op, seq: 4 }), 'unexpected field "seq"'],
  ])('rejects %s', (_label, mutate, reason) => {
    const result = checkOp(mutate(incidentOp({ title: 'Checkout down' })));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('requires an append record to be identified by its op id', () => {
    const opId = uuidv7(1_795_000_000_200);
    const base = {
      opId,
      hlc: encodeHlc({ ms: 1_795_000_000_200, counter: 0, deviceId }),
      streamId: `incident:${incidentId}`,
      actorId: 'alice',
      deviceId,
      entity: 'timeline_entry' as const,
      kind: 'append' as const,
      fields: { incidentId, kind: 'note', text: 'Rolled back', eventAt: 1_795_000_000_200 },
      prevHash: genesisHash,
    };
    expect(checkOp(sign({ ...base, rowId: opId })).ok).toBe(true);
    expect(checkOp(sign({ ...base, rowId: uuidv7(1) }))).toMatchObject({ ok: false, reason: expect.stringContaining('rowId') });
  });

  it('rejects things that are not ops at all', () => {
    for (const input of [null, 'op', 42, [], { opId: 1 }]) expect(checkOp(input).ok).toBe(false);
  });
});

describe('merge rules', () => {
  it('orders stamps by clock, then by op id', () => {
    expect(stampWins({ hlc: '2', opId: 'a' }, { hlc: '1', opId: 'z' })).toBe(true);
    expect(stampWins({ hlc: '1', opId: 'z' }, { hlc: '2', opId: 'a' })).toBe(false);
    expect(stampWins({ hlc: '1', opId: 'b' }, { hlc: '1', opId: 'a' })).toBe(true);
    expect(stampWins({ hlc: '1', opId: 'a' }, { hlc: '1', opId: 'a' })).toBe(false);
    expect(stampWins({ hlc: '1', opId: 'a' }, undefined)).toBe(true);
  });

  it('merges per field: an older op still wins the fields nobody newer wrote', () => {
    const newer = mergeSet({}, { hlc: '2', opId: 'b' }, { severity: 'SEV1' });
    const both = mergeSet(newer.clocks, { hlc: '1', opId: 'a' }, { severity: 'SEV3', title: 'DNS' });
    expect(both.winners).toEqual({ title: 'DNS' });
    expect(both.clocks).toEqual({ severity: { hlc: '2', opId: 'b' }, title: { hlc: '1', opId: 'a' } });
  });
});

describe('op hashing', () => {
  it('hashes the canonical JSON of the op body, the same with the portable and the native SHA-256', async () => {
    const op = incidentOp({ title: 'Checkout down', severity: 'SEV1' });
    const { prevHash: _p, hash: _h, ...body } = op;
    const { opBody, portableSha256Hex } = await import('@shared/ops');
    const { nativeSha256Hex } = await import('../../electron/engine/core/native-hash');
    expect(opBody(op)).toBe(canonicalJson(body));
    expect(hashOp(op, nativeSha256Hex)).toBe(hashOp(op, portableSha256Hex));
    expect(portableSha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('the signed envelope', () => {
  const certId = 'ab'.repeat(16);
  const sig = `${'A'.repeat(85)}w`;
  const legacy = incidentOp({ title: 'Checkout down' });

  it('hashes an op without certId exactly as before signing existed', () => {
    const { hash, ...rest } = legacy;
    const { prevHash, ...body } = rest;
    expect(hash).toBe(portableSha256Hex(`${prevHash}\n${canonicalJson(body)}`));
    // Pinned: an op of a fixed content hashes to what every earlier build stored for it.
    const fixed = sign({
      opId: '0194f000-0000-7000-8000-000000000001',
      hlc: encodeHlc({ ms: 1_795_000_000_100, counter: 0, deviceId }),
      streamId: 'incident:0194f000-0000-7000-8000-000000000002',
      actorId: 'alice',
      deviceId,
      entity: 'incident',
      rowId: '0194f000-0000-7000-8000-000000000002',
      kind: 'set',
      fields: { title: 'Checkout down', severity: 'SEV1' },
      prevHash: genesisHash,
    });
    expect(fixed.hash).toBe('2542b451be2d7aeb481f653278d19aaca6b6818e361ec090c9058b106a4c6c44');
    expect(checkOp(fixed)).toEqual({ ok: true, op: fixed });
  });

  it('puts certId inside the hash and sig outside it', () => {
    const { hash: _legacyHash, ...unsigned } = legacy;
    const withCert = { ...unsigned, certId };
    const { prevHash, ...body } = withCert;
    expect(opBody(withCert)).toBe(canonicalJson(body));
    expect(hashOp(withCert)).toBe(portableSha256Hex(`${prevHash}\n${canonicalJson(body)}`));
    expect(hashOp(withCert)).not.toBe(legacy.hash);
    expect(hashOp({ ...withCert, sig } as Op)).toBe(hashOp(withCert));
  });

  it('keeps certId and sig through checkOp, and nothing else', () => {
    const { hash: _h, ...unsigned } = legacy;
    const signed = { ...sign({ ...unsigned, certId }), sig };
    expect(checkOp(signed)).toEqual({ ok: true, op: signed });
    const checked = checkOp(legacy);
    expect(checked.ok && Object.keys(checked.op)).toEqual(Object.keys(legacy));
  });

  it.each([
    ['a certId without a signature', (op: Omit<Op, 'hash'>) => sign({ ...op, certId }), 'sig: an op that names a certificate must be signed'],
    ['a malformed certId', (op: Omit<Op, 'hash'>) => ({ ...sign({ ...op, certId: 'AB'.repeat(16) }), sig }), 'certId: must be 32 hex digits'],
    ['a malformed signature', (op: Omit<Op, 'hash'>) => ({ ...sign({ ...op, certId }), sig: 'not-a-signature' }), 'sig: must be a base64url'],
    ['a signature of the wrong length', (op: Omit<Op, 'hash'>) => ({ ...sign(op), sig: `${sig}AA` }), 'sig: must be a base64url'],
    ['a certId changed after hashing', (op: Omit<Op, 'hash'>) => ({ ...sign({ ...op, certId }), certId: 'cd'.repeat(16), sig }), 'hash: does not match'],
  ])('rejects %s', (_label, mutate, reason) => {
    const { hash: _h, ...unsigned } = legacy;
    const result = checkOp(mutate(unsigned));
    expect(result).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('refuses unsigned ops from legacyBefore on, only when asked to', () => {
    const at = 1_795_000_000_100;
    expect(checkOp(legacy).ok).toBe(true);
    expect(checkOp(legacy, portableSha256Hex, { legacyBefore: at + 1 }).ok).toBe(true);
    expect(checkOp(legacy, portableSha256Hex, { legacyBefore: at })).toEqual({ ok: false, reason: 'sig: this service requires signed ops: update Holdfast' });
    const { hash: _h, ...unsigned } = legacy;
    expect(checkOp({ ...sign({ ...unsigned, certId }), sig }, portableSha256Hex, { legacyBefore: at }).ok).toBe(true);
  });

  it('accepts the trust stream and its entities', () => {
    expect(envelopeKeys).toEqual(expect.arrayContaining(['certId', 'sig']));
    const opId = uuidv7(1_795_000_000_100);
    const revocation = sign({
      opId,
      hlc: encodeHlc({ ms: 1_795_000_000_100, counter: 0, deviceId }),
      streamId: 'trust',
      actorId: 'service',
      deviceId,
      entity: 'cert_revocation',
      rowId: opId,
      kind: 'append',
      fields: { body: { v: 1, org: 'ab'.repeat(16), certId, effectiveAt: 1, issuedAt: 1, reason: 'lost' }, sig },
      prevHash: genesisHash,
    });
    expect(checkOp(revocation).ok).toBe(true);
    expect(checkOp(sign({ ...revocation, streamId: 'org' }))).toEqual({ ok: false, reason: expect.stringContaining('belongs to another stream') });
  });
});
