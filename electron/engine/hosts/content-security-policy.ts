// The Content-Security-Policy for the UI, the same for the desktop app:// protocol and `holdfast web`
// (sent as a header by both), and repeated in the page's <meta> minus what a <meta> cannot carry.
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The policy as a <meta> element may state it: browsers ignore frame-ancestors there (and warn). */
export const metaContentSecurityPolicy = contentSecurityPolicy
  .split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ');
