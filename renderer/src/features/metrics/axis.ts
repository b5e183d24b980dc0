// The duration axis of the metrics charts: round ticks in a unit that reads well. Under an hour the
// axis counts minutes (0, 10, 20, 30 min); from an hour it counts hours in steps of 0.25, 0.5, 1,
// 2, 5… h. Every tick is a multiple of its step, so no two labels round to the same text and none
// reads "0.1, 0.3" for 0.125 and 0.25.

export interface DurationAxis {
  /** Tick values in hours (the charts plot hours), from 0 to the top of the axis. */
  ticks: number[];
  unit: 'min' | 'h';
  format: (hours: number) => string;
}

const minuteSteps = [1, 2, 5, 10, 15, 20, 30];
const hourSteps = [0.25, 0.5, 1, 2, 3, 4, 6, 12, 24, 48, 72, 168];

/** The smallest step that covers `top` in at most `maxTicks` intervals; past the list, multiples of the last. */
function stepFor(top: number, steps: number[], maxTicks: number): number {
  for (const step of steps) if (top / step <= maxTicks) return step;
  const last = steps[steps.length - 1];
  return last * Math.ceil(top / last / maxTicks);
}

const trim = (value: number) => String(Number(value.toFixed(2)));

/** The axis for values up to `maxHours` (the largest value plotted, in hours), with at most 5 intervals. */
export function durationAxis(maxHours: number, maxTicks = 5): DurationAxis {
  const top = Number.isFinite(maxHours) && maxHours > 0 ? maxHours : 1;
  if (top < 1) {
    const minutes = top * 60;
    const step = stepFor(minutes, minuteSteps, maxTicks);
    const count = Math.max(1, Math.ceil(minutes / step - 1e-9));
    return {
      ticks: Array.from({ length: count + 1 }, (_, i) => (i * step) / 60),
      unit: 'min',
      format: (hours) => `${Math.round(hours * 60)} min`,
    };
  }
  const step = stepFor(top, hourSteps, maxTicks);
  const count = Math.max(1, Math.ceil(top / step - 1e-9));
  return {
    ticks: Array.from({ length: count + 1 }, (_, i) => i * step),
    unit: 'h',
    format: (hours) => `${trim(hours)} h`,
  };
}
