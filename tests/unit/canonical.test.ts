// canonicalJson writes values already in canonical form with the native serializer: the text must
// be exactly what sorting every object's keys by hand gives, and what cannot be encoded still throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@shared/canonical';

/** The canonical form written out the slow way, as the reference. */
function byHand(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(byHand).join(',')}]`;
  const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${byHand((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** The same value with every object's keys in sorted order (what a canonical sender delivers). */
function sorted(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sorted);
  return Object.fromEntries(
    Object.keys(value)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
  );
}

const json = fc.jsonValue({ maxDepth: 4 });

describe('canonicalJson', () => {
  it('gives the canonical text for values in any key order and in sorted order', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(byHand(value));
        expect(canonicalJson(sorted(value))).toBe(byHand(value));
        expect(canonicalJson(JSON.parse(canonicalJson(value)))).toBe(canonicalJson(value));
      }),
      { numRuns: 500 },
    );
  });

  it('sorts integer-like keys as text, although objects list them first in numeric order', () => {
    expect(canonicalJson({ 9: 'a', 10: 'b', x: 1 })).toBe('{"10":"b","9":"a","x":1}');
  });

  it('drops undefined members and refuses what JSON has no canonical form for, nested or not', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/NaN or Infinity/);
    expect(() => canonicalJson({ a: [1, Infinity] })).toThrow(/NaN or Infinity/);
    expect(() => canonicalJson({ a: [undefined] })).toThrow(/undefined/);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(/function/);
  });

  it('does not let a toJSON method or a class change the text', () => {
    expect(() => canonicalJson({ a: { toJSON: () => 'x' } })).toThrow(/function/);
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    expect(canonicalJson({ p: new Point(1, 2) })).toBe('{"p":{"x":1,"y":2}}');
    const date = new Date(0);
    expect(canonicalJson({ d: date })).toBe('{"d":{}}');
  });
});
