// The dashboard's charts (Recharts, drawn as SVG): mean and p90 time to resolve and to mitigate per
// period, and incidents declared per period stacked by severity. Both are drawn without animation,
// so what is on screen (and in a screenshot) is the data, not a frame of a transition.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { severities, type Severity } from '@shared/domain/incident';
import { formatDuration } from '@shared/domain/metrics';
import { durationAxis } from './axis';
import { hours, type CountRow, type TrendRow } from './metrics-data';

const grid = '#2a313c';
const tick = { fill: '#8b949e', fontSize: 12 };
const tooltipStyle = { background: '#161b22', border: '1px solid #2a313c', borderRadius: 6, color: '#e6edf3' };
const severityColours: Record<Severity, string> = { SEV1: '#ff4d4f', SEV2: '#ff8c1a', SEV3: '#e3b341', SEV4: '#58a6ff' };

const series = [
  { key: 'MTTR mean', colour: '#58a6ff', dashed: false },
  { key: 'MTTR p90', colour: '#58a6ff', dashed: true },
  { key: 'MTTM mean', colour: '#3fb950', dashed: false },
  { key: 'MTTM p90', colour: '#3fb950', dashed: true },
] as const;

const durationOfHours = (value: unknown) => (typeof value === 'number' ? formatDuration(value * 3_600_000) : '—');

export function TrendChart({ rows }: { rows: TrendRow[] }) {
  const data = rows.map((r) => ({
    period: r.period,
    'MTTR mean': hours(r.resolveMean),
    'MTTR p90': hours(r.resolveP90),
    'MTTM mean': hours(r.mitigateMean),
    'MTTM p90': hours(r.mitigateP90),
  }));
  // Round ticks (minutes under an hour): ./axis.
  const axis = durationAxis(Math.max(0, ...data.flatMap((row) => series.map((s) => row[s.key] ?? 0))));
  return (
    <ResponsiveContainer width="100%" height={280}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={grid} vertical={false} />
        <XAxis dataKey="period" tick={tick} stroke={grid} />
        <YAxis tick={tick} stroke={grid} ticks={axis.ticks} domain={[0, axis.ticks[axis.ticks.length - 1]]} tickFormatter={axis.format} width={64} />
        <Tooltip contentStyle={tooltipStyle} formatter={(value) => durationOfHours(value)} />
        <Legend wrapperStyle={{ fontSize: 13 }} />
        {series.map((s) => (
          <Line
            key={s.key}
            type="monotone"
            dataKey={s.key}
            stroke={s.colour}
            strokeWidth={2}
            strokeDasharray={s.dashed ? '6 4' : undefined}
            dot={{ r: 3, fill: s.colour }}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

export function CountChart({ rows }: { rows: CountRow[] }) {
  return (
    <ResponsiveContainer width="100%" height={280}>
      <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={grid} vertical={false} />
        <XAxis dataKey="period" tick={tick} stroke={grid} />
        <YAxis tick={tick} stroke={grid} allowDecimals={false} width={40} />
        <Tooltip contentStyle={tooltipStyle} cursor={{ fill: 'rgb(255 255 255 / 4%)' }} />
        <Legend wrapperStyle={{ fontSize: 13 }} />
        {severities.map((s) => (
          <Bar key={s} dataKey={s} stackId="severity" fill={severityColours[s]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
