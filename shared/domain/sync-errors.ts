// Sync errors in words: what a sync peer's failure ("connect ECONNREFUSED 127.0.0.1:7638", a TLS
// pin mismatch, HTTP 503…) means to the person in the war room, and what to do about it. The raw
// text is kept for a tooltip: whoever fixes the network needs it.

export type SyncErrorKind =
  | 'down'
  | 'timeout'
  | 'not-found'
  | 'no-route'
  | 'dropped'
  | 'silent'
  | 'pin-mismatch'
  | 'certificate'
  | 'unauthorized'
  | 'forbidden'
  | 'busy'
  | 'server-error'
  | 'other';

export interface SyncErrorWords {
  kind: SyncErrorKind;
  /** Whether the peer could not be reached at all (as opposed to answering with a refusal). */
  isUnreachable: boolean;
  /** Completes "<peer> …": e.g. "is not running or is restarting". */
  predicate: string;
  /** What to do, or what happens meanwhile. */
  advice: string;
  /** The error as the software reported it. */
  raw: string;
}

interface Rule {
  kind: SyncErrorKind;
  test: RegExp;
  isUnreachable: boolean;
  predicate: (raw: string) => string;
  advice: string;
}

const hostOf = (raw: string): string | null => /\b(?:ENOTFOUND|EAI_AGAIN)\s+(\S+)/.exec(raw)?.[1] ?? /\/\/([^/\s:]+)/.exec(raw)?.[1] ?? null;
const httpStatusOf = (raw: string): number | null => Number(/\bHTTP (\d{3})\b/.exec(raw)?.[1] ?? /\b(5\d\d) [A-Z]/.exec(raw)?.[1]) || null;

const retrying = 'Entries are kept on this laptop and sent when it answers again.';

// Order matters: the first rule that matches names the error (a pin mismatch mentions TLS; a
// timeout on connect mentions "connect").
const rules: Rule[] = [
  {
    kind: 'pin-mismatch',
    test: /presented a TLS certificate with SHA-256 fingerprint|fingerprint .* but the join link says/i,
    isUnreachable: true,
    predicate: () => 'answered with a different certificate from the one in the join link',
    advice: 'Another machine may be posing as the war room: ask the host for the current link and join again.',
  },
  {
    kind: 'down',
    test: /ECONNREFUSED|connection refused/i,
    isUnreachable: true,
    predicate: () => 'is not running or is restarting',
    advice: retrying,
  },
  {
    kind: 'timeout',
    test: /ETIMEDOUT|timed? ?out|aborted due to timeout|TimeoutError|UND_ERR_CONNECT_TIMEOUT/i,
    isUnreachable: true,
    predicate: () => 'is not answering in time',
    advice: `The network may be slow or blocked, or the server overloaded. ${retrying}`,
  },
  {
    kind: 'not-found',
    test: /ENOTFOUND|EAI_AGAIN|getaddrinfo/i,
    isUnreachable: true,
    predicate: (raw) => {
      const host = hostOf(raw);
      return host ? `cannot be found on this network (no address for ${host})` : 'cannot be found on this network';
    },
    advice: `Check the server address in Settings, the VPN and the DNS. ${retrying}`,
  },
  {
    kind: 'no-route',
    test: /ENETUNREACH|EHOSTUNREACH|EHOSTDOWN|ENETDOWN|EADDRNOTAVAIL/i,
    isUnreachable: true,
    predicate: () => 'cannot be reached from this network',
    advice: `Check the Wi-Fi, the cable or the VPN. ${retrying}`,
  },
  {
    kind: 'silent',
    test: /no answer from .* for \d+ ?s/i,
    isUnreachable: true,
    predicate: () => 'stopped answering',
    advice: retrying,
  },
  {
    kind: 'dropped',
    test: /ECONNRESET|EPIPE|socket hang up|other side closed|UND_ERR_SOCKET|live connection .* closed|fetch failed|network error/i,
    isUnreachable: true,
    predicate: () => 'dropped the connection',
    advice: retrying,
  },
  {
    kind: 'certificate',
    test: /self[- ]signed|CERT_|certificate (has expired|is not yet valid|chain)|unable to (verify|get (local )?issuer)|ERR_TLS|SSL routines|wrong version number|Hostname\/IP does not match/i,
    isUnreachable: true,
    predicate: () => 'presented a security certificate this laptop does not trust',
    advice: 'Check the server address (https://…) with whoever runs it; nothing is sent until the certificate is right.',
  },
  {
    kind: 'unauthorized',
    test: /\b401\b|unauthori[sz]ed|missing, unknown or revoked token|credentials/i,
    isUnreachable: false,
    predicate: () => "does not accept this laptop's access any more (its token is missing or revoked)",
    advice: 'Connect again in Settings with a new token from whoever runs the server. Entries stay on this laptop meanwhile.',
  },
  {
    kind: 'forbidden',
    test: /\b403\b|forbidden|may not|not permitted|is a pipeline token/i,
    isUnreachable: false,
    predicate: () => 'refused a request from this laptop',
    advice: 'Your role there does not allow it: ask an admin. Entries stay on this laptop meanwhile.',
  },
  {
    kind: 'busy',
    test: /\b429\b|too many/i,
    isUnreachable: false,
    predicate: () => 'is busy and asked this laptop to wait',
    advice: retrying,
  },
  {
    kind: 'server-error',
    test: /\bHTTP 5\d\d\b|\b5\d\d (Internal|Bad Gateway|Service Unavailable|Gateway Timeout)|internal server error|service unavailable|bad gateway/i,
    isUnreachable: true,
    predicate: (raw) => {
      const status = httpStatusOf(raw);
      return status ? `has a problem of its own (error ${status})` : 'has a problem of its own';
    },
    advice: `It may be restarting or its database unavailable. ${retrying}`,
  },
];

/** The words for a sync peer's error message (`raw`, as PeerStatus.lastError holds it). */
export function syncErrorWords(raw: string): SyncErrorWords {
  const text = raw.trim();
  for (const rule of rules) {
    if (rule.test.test(text)) return { kind: rule.kind, isUnreachable: rule.isUnreachable, predicate: rule.predicate(text), advice: rule.advice, raw: text };
  }
  const first = text
    .split('\n')[0]
    .replace(/^cannot reach \S+: /, '')
    .slice(0, 160);
  return { kind: 'other', isUnreachable: /^cannot reach /.test(text), predicate: `reported a problem: ${first}`, advice: retrying, raw: text };
}

/** One sentence: "Central is not running or is restarting. Entries are kept on this laptop…". */
export function syncErrorSentence(peerName: string, raw: string): string {
  const words = syncErrorWords(raw);
  return `${peerName} ${words.predicate}. ${words.advice}`;
}
