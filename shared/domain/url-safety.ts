// Addresses no delivery may go to, whoever configured it: link-local hosts (169.254.0.0/16, fe80::/10)
// and the cloud metadata services (169.254.169.254, fd00:ec2::254, metadata.google.internal), which
// hand out the credentials of the machine a request comes from. Loopback and private addresses stay
// allowed (as they are for delivery channels): self-hosted receivers live there.

const metadataNames = ['metadata.google.internal', 'metadata.goog', 'metadata'];

/** The IPv4 address a (WHATWG-normalised) hostname stands for, IPv4-mapped IPv6 included; null otherwise. */
function ipv4Of(host: string): number[] | null {
  const dotted = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (dotted) return dotted.slice(1).map(Number);
  const mapped = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/i.exec(host);
  if (mapped) {
    const [hi, lo] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
    return [hi >> 8, hi & 255, lo >> 8, lo & 255];
  }
  const mappedDotted = /^\[::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})\]$/i.exec(host);
  return mappedDotted ? ipv4Of(mappedDotted[1]) : null;
}

/** Why a delivery must never go to `value` (a link-local or metadata address), or null when it may. */
export function forbiddenHostReason(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (metadataNames.includes(host)) return `${host} is a cloud metadata service`;
  const v4 = ipv4Of(host);
  if (v4 && v4[0] === 169 && v4[1] === 254) return `${v4.join('.')} is a link-local (cloud metadata) address`;
  if (host.startsWith('[')) {
    const bare = host.slice(1, -1);
    if (/^fe[89ab][0-9a-f]?:/i.test(bare)) return `${bare} is a link-local address`;
    if (/^fd00:ec2:(0{0,4}:)*:?0*254$/i.test(bare) || bare === 'fd00:ec2::254') return `${bare} is a cloud metadata address`;
  }
  return null;
}
