// The metrics charts' duration axis: round ticks, minutes when the values are under an hour, and
// never two ticks whose labels read the same.
import { describe, expect, it } from 'vitest';
import { durationAxis } from '../../renderer/src/features/metrics/axis';

const labels = (maxHours: number) => {
  const axis = durationAxis(maxHours);
  return axis.ticks.map(axis.format);
};

describe('durationAxis', () => {
  it('counts minutes under an hour', () => {
    expect(labels(0.6)).toEqual(['0 min', '10 min', '20 min', '30 min', '40 min']);
    expect(labels(0.1)).toEqual(['0 min', '2 min', '4 min', '6 min']);
    expect(durationAxis(0.6).unit).toBe('min');
  });

  it('counts hours in quarter, half and whole steps from an hour', () => {
    expect(labels(1)).toEqual(['0 h', '0.25 h', '0.5 h', '0.75 h', '1 h']);
    expect(labels(1.3)).toEqual(['0 h', '0.5 h', '1 h', '1.5 h']);
    expect(labels(7)).toEqual(['0 h', '2 h', '4 h', '6 h', '8 h']);
    expect(labels(1000).length).toBeLessThanOrEqual(6);
  });

  it('covers the largest value, and no two labels are the same', () => {
    for (const max of [0.01, 0.3, 0.55, 0.99, 1, 1.01, 2.2, 5.5, 13, 49, 400]) {
      const axis = durationAxis(max);
      expect(axis.ticks.at(-1)).toBeGreaterThanOrEqual(max - 1e-9);
      const texts = axis.ticks.map(axis.format);
      expect(new Set(texts).size).toBe(texts.length);
      expect(texts.length).toBeLessThanOrEqual(6);
    }
  });

  it('draws an empty chart from 0 to 1 h', () => {
    expect(labels(0)).toEqual(labels(1));
    expect(labels(Number.NaN)).toEqual(labels(1));
  });
});
