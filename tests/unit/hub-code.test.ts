// The war room's join code and link: 140 bits read out in groups, a link that carries address,
// code and certificate fingerprint, and a gate that limits guesses per code and per minute.
import { describe, expect, it } from 'vitest';
import { codeProblem, groupCode, hubLink, normalizeCode, parseHubLink } from '@shared/hub-link';
import { createJoinGate, maxWrongPerCode, maxWrongPerMinute, newJoinCode } from '../../electron/engine/sync/hub-code';

const fingerprint = 'ab'.repeat(32);

describe('join codes and links', () => {
  it('makes codes of 28 Crockford base32 characters (140 bits), different every time', () => {
    const codes = new Set(Array.from({ length: 200 }, newJoinCode));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{28}$/);
    expect(groupCode([...codes][0])).toMatch(/^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$/);
  });

  it('reads a code back however it was typed: case, spaces, dashes, O for 0 and I or L for 1', () => {
    const code = '0123456789ABCDEFGHJKMNPQRSTV';
    expect(normalizeCode('o123 4567-89ab cdef-ghjk mnpq-rstv'.replace('1', 'l'))).toBe(code);
    expect(codeProblem(groupCode(code))).toBeNull();
    expect(codeProblem('123-456')).toMatch(/28 letters and digits/);
    expect(codeProblem('U'.repeat(28))).toMatch(/has no "U"/);
  });

  it('carries address, code and fingerprint in a link whose fragment holds the secrets', () => {
    const code = newJoinCode();
    const link = hubLink({ url: 'https://10.0.0.5:7440', code, fingerprint: fingerprint.toUpperCase().replace(/(..)(?=.)/g, '$1:') });
    expect(link).toBe(`https://10.0.0.5:7440/join#code=${groupCode(code)}&sha256=${fingerprint}`);
    expect(parseHubLink(link)).toEqual({ url: 'https://10.0.0.5:7440', code, fingerprint });
    expect(parseHubLink(link.replace('https:', 'http:'))).toMatch(/starts with https/);
    expect(parseHubLink(link.replace(/&sha256=.*/, ''))).toMatch(/no code or no sha256/);
    expect(parseHubLink(link.replace(fingerprint, 'abc'))).toMatch(/64 hex digits/);
    expect(parseHubLink('hello')).toMatch(/not a link/);
  });
});

describe('the join gate', () => {
  const gate = (at: { t: number }, log: string[] = []) => createJoinGate({ now: () => at.t, log: (line) => log.push(line), initialCode: '0123456789ABCDEFGHJKMNPQRSTV' });

  it('admits the code as typed or read out, and refuses others with 401', () => {
    const g = gate({ t: 0 });
    expect(g.check('0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV')).toEqual({ ok: true });
    expect(g.check('o123 4567 89ab cdef ghjk mnpq rstv')).toEqual({ ok: true });
    expect(g.check('1123456789ABCDEFGHJKMNPQRSTV')).toMatchObject({ ok: false, status: 401 });
    expect(g.status().wrongGuesses).toBe(1);
  });

  it(`replaces the code after ${maxWrongPerCode} wrong guesses, and says why`, () => {
    const log: string[] = [];
    const at = { t: 1000 };
    const g = gate(at, log);
    const first = g.status().code;
    for (let i = 0; i < maxWrongPerCode - 1; i += 1) g.check(newJoinCode());
    expect(g.status().code).toBe(first);
    at.t = 2000;
    g.check(newJoinCode());
    expect(g.status()).toMatchObject({ wrongGuesses: 0, since: 2000, rotatedBecause: `${maxWrongPerCode} wrong guesses at the previous code` });
    expect(g.status().code).not.toBe(first);
    expect(g.check(first)).toMatchObject({ ok: false, status: 401 });
    expect(log).toEqual([`holdfast: war-room join code replaced: ${maxWrongPerCode} wrong guesses at the previous code`]);
  });

  it(`answers 429 past ${maxWrongPerMinute} wrong guesses a minute, checking no code, until the minute has passed`, () => {
    const at = { t: 0 };
    const g = gate(at);
    for (let i = 0; i < maxWrongPerMinute; i += 1) expect(g.check(newJoinCode())).toMatchObject({ status: 401 });
    const current = g.status().code;
    expect(g.check(current)).toMatchObject({ ok: false, status: 429, message: expect.stringContaining('try again in 60 s') });
    at.t = 59_999;
    expect(g.check(current)).toMatchObject({ status: 429 });
    at.t = 60_001;
    expect(g.check(current)).toEqual({ ok: true });
  });

  it('replaces the code on demand', () => {
    const g = gate({ t: 5 });
    const before = g.status().code;
    expect(g.rotate('the host asked for a new code')).toMatchObject({ rotatedBecause: 'the host asked for a new code', wrongGuesses: 0 });
    expect(g.status().code).not.toBe(before);
    expect(g.check(before)).toMatchObject({ status: 401 });
  });
});
