// A war room's join link: the hub's address, its join code and the SHA-256 fingerprint of its TLS
// certificate, as one https URL whose fragment (never sent to any server) carries the secrets:
//   https://10.0.0.5:7440/join#code=7KQ2-M9XD-…&sha256=ab12…
// The code is 28 characters of Crockford base32 (140 bits) in groups of four, so people can read
// it out; a typed code is forgiving about case, spaces, dashes, and O/0, I/L/1.

/** Crockford's base32: no I, L, O or U, so nothing read out is mistaken for something else. */
export const codeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters in a join code: 28 × 5 = 140 bits. */
export const codeLength = 28;

/** The code as typed or read out, in canonical form (upper case, no separators, O→0, I/L→1). */
export function normalizeCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** The canonical code in groups of four: `7KQ2-M9XD-…`. */
export function groupCode(code: string): string {
  return normalizeCode(code).replace(/(.{4})(?=.)/g, '$1-');
}

/** Why `code` cannot be a join code (null: it can), said so a person knows what to fix. */
export function codeProblem(code: string): string | null {
  const canonical = normalizeCode(code);
  if (canonical.length !== codeLength) return `a join code has ${codeLength} letters and digits (7 groups of 4); this one has ${canonical.length}`;
  const bad = [...canonical].find((c) => !codeAlphabet.includes(c));
  return bad ? `a join code has no "${bad}": check the code the host read out` : null;
}

/** A certificate fingerprint in canonical form: 64 lower-case hex digits (colons and spaces dropped). */
export function normalizeFingerprint(input: string): string {
  return input.toLowerCase().replace(/[\s:]/g, '');
}

export const isFingerprint = (value: string) => /^[0-9a-f]{64}$/.test(normalizeFingerprint(value));

/** A fingerprint as people read it: groups of four hex digits. */
export const readableCertFingerprint = (fingerprint: string) => normalizeFingerprint(fingerprint).replace(/(.{4})(?=.)/g, '$1 ');

export interface HubInvite {
  /** The hub's origin, `https://host:port`. */
  url: string;
  code: string;
  /** The SHA-256 fingerprint of the hub's TLS certificate, 64 hex digits. */
  fingerprint: string;
}

export function hubLink(invite: HubInvite): string {
  return `${invite.url.replace(/\/+$/, '')}/join#code=${groupCode(invite.code)}&sha256=${normalizeFingerprint(invite.fingerprint)}`;
}

/** The address, code and fingerprint a join link carries, or why it is not a join link. */
export function parseHubLink(link: string): HubInvite | string {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return 'not a link: paste the whole join link the host shared (https://…/join#code=…&sha256=…)';
  }
  if (url.protocol !== 'https:') return 'a join link starts with https:// (a war room speaks only TLS)';
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
  const code = fragment.get('code');
  const fingerprint = fragment.get('sha256');
  if (!code || !fingerprint) return 'the link has no code or no sha256 after "#": copy the whole link again';
  const problem = codeProblem(code);
  if (problem) return problem;
  if (!isFingerprint(fingerprint)) return "the link's sha256 must be 64 hex digits: copy the whole link again";
  return { url: url.origin, code: normalizeCode(code), fingerprint: normalizeFingerprint(fingerprint) };
}
