// A war room's join code and how many guesses it takes. The code is 140 random bits; each code
// allows a few wrong guesses in all (whatever address they come from), then is replaced by a fresh
// one; and past a limit of wrong guesses a minute, across every address, the room answers 429 and
// checks no code at all until the minute has passed. The host can replace the code at any time.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { codeAlphabet, codeLength, groupCode, normalizeCode } from '@shared/hub-link';

/** Wrong guesses one code takes before it is replaced. */
export const maxWrongPerCode = 10;
/** Wrong guesses a minute the room takes, from all addresses together, before it answers 429. */
export const maxWrongPerMinute = 20;
const windowMs = 60_000;

/** A fresh code: 28 characters of Crockford base32 (140 bits), canonical form (no dashes). */
export function newJoinCode(): string {
  let code = '';
  for (let i = 0; i < codeLength; i += 1) code += codeAlphabet[randomInt(0, codeAlphabet.length)];
  return code;
}

export type CodeCheck = { ok: true } | { ok: false; status: 401 | 429; message: string };

export interface JoinGateStatus {
  /** The current code in groups of four. */
  code: string;
  /** When the current code was made. */
  since: number;
  /** Wrong guesses at the current code. */
  wrongGuesses: number;
  /** Why the current code replaced the one before (null: it is the room's first). */
  rotatedBecause: string | null;
}

export interface JoinGate {
  check(input: string): CodeCheck;
  rotate(reason: string): JoinGateStatus;
  status(): JoinGateStatus;
}

const digest = (code: string) => createHash('sha256').update(normalizeCode(code)).digest();

export function createJoinGate(deps: { now: () => number; log: (line: string) => void; initialCode?: string }): JoinGate {
  let code = deps.initialCode ? normalizeCode(deps.initialCode) : newJoinCode();
  let since = deps.now();
  let wrong = 0;
  let rotatedBecause: string | null = null;
  /** When each recent wrong guess came, any address, oldest first. */
  const recentWrong: number[] = [];

  const status = (): JoinGateStatus => ({ code: groupCode(code), since, wrongGuesses: wrong, rotatedBecause });

  const rotate = (reason: string): JoinGateStatus => {
    code = newJoinCode();
    since = deps.now();
    wrong = 0;
    rotatedBecause = reason;
    deps.log(`holdfast: war-room join code replaced: ${reason}`);
    return status();
  };

  const check = (input: string): CodeCheck => {
    const at = deps.now();
    while (recentWrong.length > 0 && recentWrong[0] <= at - windowMs) recentWrong.shift();
    if (recentWrong.length >= maxWrongPerMinute) {
      const waitS = Math.ceil((recentWrong[0] + windowMs - at) / 1000);
      return {
        ok: false,
        status: 429,
        message: `too many wrong join codes on this war room in the last minute (from all addresses); try again in ${waitS} s with the code the host shows now`,
      };
    }
    if (timingSafeEqual(digest(input), digest(code))) return { ok: true };
    recentWrong.push(at);
    wrong += 1;
    if (wrong >= maxWrongPerCode) rotate(`${wrong} wrong guesses at the previous code`);
    return { ok: false, status: 401, message: 'wrong join code: ask the war-room host for the current link or code' };
  };

  return { check, rotate, status };
}
