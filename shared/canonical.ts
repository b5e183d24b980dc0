// Canonical JSON: object keys sorted, no whitespace, so that equal values hash equally on every
// device and in every runtime.
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function canonicalJson(value: unknown): string {
  // Most values on the hot path (op fields parsed from JSON, or written by the engine with their
  // keys in order) are already canonical: then the native serializer writes the same text.
  if (typeof value === 'object' && value !== null && isPlainCanonical(value, 0)) return JSON.stringify(value);
  return canonicalText(value);
}

function canonicalText(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no form for NaN or Infinity');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalText(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
}

/** Whether `value` already has its object keys in canonical (sorted) order at every depth and no undefined members: then it need not be rewritten. */
export function isInCanonicalOrder(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(isInCanonicalOrder);
  let previous: string | null = null;
  for (const key in value as Record<string, unknown>) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || (previous !== null && !(previous < key)) || !isInCanonicalOrder(member)) return false;
    previous = key;
  }
  return true;
}

/**
 * Whether JSON.stringify writes `value` exactly as canonicalJson would: only null, booleans,
 * strings, finite numbers, dense arrays and plain objects whose keys are in sorted order with no
 * undefined member, so there is nothing to sort, drop, refuse or convert (no toJSON, no class).
 */
function isPlainCanonical(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > 64) return false;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let i = 0; i < value.length; i += 1) if (!(i in value) || !isPlainCanonical(value[i], depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  let previous: string | null = null;
  for (const key of Object.keys(value)) {
    if (previous !== null && !(previous < key)) return false;
    if (!isPlainCanonical((value as Record<string, unknown>)[key], depth + 1)) return false;
    previous = key;
  }
  return true;
}
