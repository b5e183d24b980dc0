import { describe, expect, it } from 'vitest';
import { isUuidV7, uuidv7, uuidv7Time } from '@shared/ids';

describe('uuidv7', () => {
  it('carries its creation time and the version and variant bits', () => {
    const id = uuidv7(1_795_000_000_123);
    expect(isUuidV7(id)).toBe(true);
    expect(uuidv7Time(id)).toBe(1_795_000_000_123);
  });

  it('sorts by creation time as text', () => {
    const ids = [5, 1_000, 1_795_000_000_000, 42].map((ms) => uuidv7(ms));
    const byText = [...ids].sort();
    expect(byText.map(uuidv7Time)).toEqual([5, 42, 1_000, 1_795_000_000_000]);
  });

  it('is unique for ids made in the same millisecond', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => uuidv7(1)));
    expect(ids.size).toBe(1000);
  });

  it('refuses a time that does not fit 48 bits', () => {
    expect(() => uuidv7(-1)).toThrow(RangeError);
    expect(() => uuidv7(2 ** 48)).toThrow(RangeError);
    expect(() => uuidv7(1.5)).toThrow(RangeError);
  });
});
