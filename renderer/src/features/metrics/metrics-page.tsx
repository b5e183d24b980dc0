// The metrics dashboard: how long incidents took to detect, acknowledge, mitigate and resolve over
// the last 3, 6 or 12 months, by month or by week (UTC), from milestone times as they stand
// (corrections included) with drills left out. Headline means and p90s with how many incidents each
// is over, a chart of time to resolve and mitigate per period, incidents per period by severity,
// and tables by severity and by service (mean, median, p90, count); each chart and table downloads
// the numbers behind it as CSV.
import { useMemo, useState, type ReactNode } from 'react';
import { format } from 'date-fns';
import { UTCDate } from '@date-fns/utc';
import type { Severity } from '@shared/domain/incident';
import { formatDuration, metricAbbreviations, metricLabels, metricNames, type MetricRow, type MetricsReport, type PeriodKind } from '@shared/domain/metrics';
import { useEngineRead } from '../../data/use-engine-query';
import { downloadCsv } from '../../lib/download';
import { client } from '../../store/client-ref';
import { SeverityBadge } from '../incidents/severity-badge';
import { PageHeader } from '../shell/page-header';
import { CountChart, TrendChart } from './metrics-charts';
import { countCsv, countRows, groupCsv, monthChoices, rangeOf, rangeSlug, trendCsv, trendRows, type MonthChoice } from './metrics-data';
import './metrics.css';

export function MetricsPage() {
  const [months, setMonths] = useState<MonthChoice>(6);
  const [period, setPeriod] = useState<PeriodKind>('month');
  // Kept by the choice; each read (again a moment after any incident changes) ends now.
  const report = useEngineRead<MetricsReport>(
    ['metrics.report', { months, period }],
    () => client().call('metrics.report', { ...rangeOf(months, period, Date.now()), period }),
    {
      keepPrevious: true,
    },
  );

  return (
    <div className="metrics-page" data-testid="metrics-page">
      <PageHeader
        title="Metrics"
        subtitle="Time to detect, acknowledge, mitigate and resolve, from the milestone times as they stand (corrections included)."
        actions={<PeriodPicker months={months} period={period} onMonths={setMonths} onPeriod={setPeriod} />}
      />
      {report.error && (
        <p className="form-error" role="alert" data-testid="metrics-error">
          Could not compute the metrics: {report.error}
        </p>
      )}
      {report.value === null ? !report.error && <p className="muted">Computing the metrics…</p> : <Dashboard report={report.value} isStale={report.isReading} />}
    </div>
  );
}

function PeriodPicker(props: { months: MonthChoice; period: PeriodKind; onMonths: (m: MonthChoice) => void; onPeriod: (p: PeriodKind) => void }) {
  return (
    <div className="period-picker">
      <div className="chips" role="group" aria-label="Range">
        {monthChoices.map((m) => (
          <button key={m} type="button" className="chip" aria-pressed={props.months === m} data-testid={`range-${m}`} onClick={() => props.onMonths(m)}>
            Last {m} months
          </button>
        ))}
      </div>
      <label className="period-kind">
        <span className="muted small">per</span>
        <select className="compact-control" data-testid="period-kind" value={props.period} onChange={(e) => props.onPeriod(e.target.value as PeriodKind)}>
          <option value="month">month</option>
          <option value="week">week</option>
        </select>
      </label>
    </div>
  );
}

const utcDay = (ms: number) => format(new UTCDate(ms), 'd MMM yyyy');

function Dashboard({ report, isStale }: { report: MetricsReport; isStale: boolean }) {
  const trend = useMemo(() => trendRows(report), [report]);
  const counts = useMemo(() => countRows(report), [report]);
  const slug = rangeSlug(report);
  const periodWord = report.period === 'month' ? 'UTC months' : 'ISO weeks (UTC)';

  return (
    <div
      className={isStale ? 'metrics-dashboard is-stale' : 'metrics-dashboard'}
      data-testid="metrics-dashboard"
      data-period={report.period}
      data-from={report.from}
      data-to={report.to}
    >
      <p className="metrics-scope small" data-testid="metrics-scope">
        <strong data-testid="metrics-incidents">{report.overall.incidents}</strong> incident{report.overall.incidents === 1 ? '' : 's'} declared from{' '}
        {utcDay(report.from)} to {utcDay(report.to)}, in {periodWord}.{' '}
        <span className="drills-note" data-testid="metrics-drills">
          Drills are left out: {report.drillsExcluded} drill{report.drillsExcluded === 1 ? '' : 's'} in this range.
        </span>{' '}
        <span className="muted">Time is counted from when the impact started where that was recorded, else from detection.</span>
      </p>

      <section className="metrics-card" aria-labelledby="headline-heading">
        <CardHead
          id="headline-heading"
          title="All incidents"
          onCsv={() => downloadCsv(`metrics-overall-${slug}.csv`, groupCsv('scope', [report.overall]))}
          testId="csv-overall"
        />
        <div className="headlines" data-testid="headlines">
          {metricNames.map((name) => {
            const s = report.overall.metrics[name];
            return (
              <div key={name} className="headline" data-testid={`headline-${name}`}>
                <div className="headline-name">
                  <abbr title={metricLabels[name]}>{metricAbbreviations[name]}</abbr> <span className="muted small">{metricLabels[name].toLowerCase()}</span>
                </div>
                <div className="headline-mean mono" data-testid="headline-mean">
                  {formatDuration(s.mean)}
                </div>
                <div className="muted small">
                  p90{' '}
                  <span className="mono" data-testid="headline-p90">
                    {formatDuration(s.p90)}
                  </span>{' '}
                  · <span data-testid="headline-count">{s.count}</span> incident{s.count === 1 ? '' : 's'}
                </div>
              </div>
            );
          })}
        </div>
      </section>

      <div className="metrics-charts">
        <section className="metrics-card" aria-labelledby="trend-heading" data-testid="chart-trend">
          <CardHead
            id="trend-heading"
            title={`Time to resolve and mitigate per ${report.period}`}
            onCsv={() => downloadCsv(`metrics-resolve-mitigate-${report.period}-${slug}.csv`, trendCsv(trend))}
            testId="csv-trend"
          />
          <p className="muted small chart-note">Mean (solid) and p90 (dashed), in hours; gaps where no incident reached the milestone.</p>
          <TrendChart rows={trend} />
        </section>
        <section className="metrics-card" aria-labelledby="counts-heading" data-testid="chart-counts">
          <CardHead
            id="counts-heading"
            title={`Incidents per ${report.period} by severity`}
            onCsv={() => downloadCsv(`metrics-incidents-${report.period}-${slug}.csv`, countCsv(counts))}
            testId="csv-counts"
          />
          <p className="muted small chart-note">Incidents declared in each {report.period}, drills left out.</p>
          <CountChart rows={counts} />
        </section>
      </div>

      <section className="metrics-card" aria-labelledby="severity-heading" data-testid="table-severity">
        <CardHead
          id="severity-heading"
          title="By severity"
          onCsv={() => downloadCsv(`metrics-by-severity-${slug}.csv`, groupCsv('severity', report.bySeverity))}
          testId="csv-severity"
        />
        <GroupTable rows={report.bySeverity} keyLabel="Severity" renderKey={(key) => <SeverityBadge severity={key as Severity} />} />
      </section>
      <section className="metrics-card" aria-labelledby="service-heading" data-testid="table-service">
        <CardHead
          id="service-heading"
          title="By service"
          onCsv={() => downloadCsv(`metrics-by-service-${slug}.csv`, groupCsv('service', report.byService))}
          testId="csv-service"
        />
        <p className="muted small chart-note">An incident counts for each service it affected.</p>
        <GroupTable rows={report.byService} keyLabel="Service" renderKey={(key) => <span className="tag tag-service">{key}</span>} />
      </section>
    </div>
  );
}

function CardHead({ id, title, onCsv, testId }: { id: string; title: string; onCsv: () => void; testId: string }) {
  return (
    <div className="metrics-card-head">
      <h2 id={id}>{title}</h2>
      <button type="button" className="button button-small" data-testid={testId} onClick={onCsv} title="The numbers behind this, as CSV (durations in milliseconds)">
        Download CSV
      </button>
    </div>
  );
}

function GroupTable({ rows, keyLabel, renderKey }: { rows: MetricRow[]; keyLabel: string; renderKey: (key: string) => ReactNode }) {
  if (rows.length === 0) return <p className="muted small">No incident in this range.</p>;
  return (
    <div className="table-scroll">
      <table className="incident-table metrics-table">
        <thead>
          <tr>
            <th scope="col">{keyLabel}</th>
            <th scope="col" className="num">
              Incidents
            </th>
            {metricNames.map((name) => (
              <th key={name} scope="col" className="num" title={metricLabels[name]}>
                {metricAbbreviations[name]}
                <span className="th-sub">mean, median (p50), p90 · n</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-testid="metrics-row" data-key={row.key}>
              <td>{renderKey(row.key)}</td>
              <td className="num mono" data-testid="cell-incidents">
                {row.incidents}
              </td>
              {metricNames.map((name) => {
                const s = row.metrics[name];
                return (
                  <td key={name} className={s.count === 0 ? 'num is-empty' : 'num'} data-testid={`cell-${name}`}>
                    <div className="mono cell-mean" data-testid="cell-mean">
                      {formatDuration(s.mean)}
                    </div>
                    <div className="muted small mono cell-sub" hidden={s.count === 0}>
                      p50 <span data-testid="cell-p50">{formatDuration(s.p50)}</span>
                      <br />
                      p90 <span data-testid="cell-p90">{formatDuration(s.p90)}</span> · n <span data-testid="cell-count">{s.count}</span>
                    </div>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
