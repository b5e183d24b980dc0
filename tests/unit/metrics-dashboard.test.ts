// The metrics dashboard's pure parts: the range each period choice asks for, and the CSV behind
// each chart and table (exactly the numbers drawn, durations in ms, empty where there are none).
import { describe, expect, it } from 'vitest';
import { metricsReport } from '@shared/domain/metrics';
import { countCsv, countRows, groupCsv, rangeOf, trendCsv, trendRows } from '../../renderer/src/features/metrics/metrics-data';

const minute = 60_000;
const none = { started: null, detected: null, acknowledged: null, mitigated: null, resolved: null, closed: null };

describe('rangeOf', () => {
  const now = Date.UTC(2026, 10, 30, 8, 30); // Mon 30 Nov 2026

  it('starts on the first of the UTC month N−1 months back, and ends now', () => {
    expect(rangeOf(6, 'month', now)).toEqual({ from: Date.UTC(2026, 5, 1), to: now });
    expect(rangeOf(3, 'month', now)).toEqual({ from: Date.UTC(2026, 8, 1), to: now });
    expect(rangeOf(12, 'month', now)).toEqual({ from: Date.UTC(2025, 11, 1), to: now });
  });

  it('by week starts on the Monday on or before that first day', () => {
    // 1 Jun 2026 is a Monday; 1 Sep 2026 a Tuesday.
    expect(rangeOf(6, 'week', now).from).toBe(Date.UTC(2026, 5, 1));
    expect(rangeOf(3, 'week', now).from).toBe(Date.UTC(2026, 7, 31));
  });
});

describe('CSV', () => {
  const at = Date.UTC(2026, 9, 5, 10);
  const report = metricsReport(
    [
      {
        id: 'a',
        title: 'A',
        severity: 'SEV1',
        services: ['api', 'db'],
        declaredAt: at,
        isDrill: false,
        milestones: { ...none, detected: at, acknowledged: at + minute, mitigated: at + 30 * minute, resolved: at + 90 * minute },
      },
      {
        id: 'b',
        title: 'B',
        severity: 'SEV3',
        services: ['api'],
        declaredAt: at + 1000,
        isDrill: false,
        milestones: { ...none, detected: at, acknowledged: at + 3 * minute, mitigated: at + 10 * minute, resolved: null },
      },
      { id: 'c', title: 'Drill', severity: 'SEV2', services: ['api'], declaredAt: at, isDrill: true, milestones: { ...none, detected: at, resolved: at + minute } },
    ],
    { from: Date.UTC(2026, 8, 1), to: Date.UTC(2026, 10, 1), period: 'month' },
  );

  it('gives the mean and p90 per period, blank where nothing reached the milestone', () => {
    expect(trendCsv(trendRows(report))).toBe(
      'period,resolved incidents,MTTR mean (ms),MTTR p90 (ms),mitigated incidents,MTTM mean (ms),MTTM p90 (ms)\r\n' +
        '2026-09,0,,,0,,\r\n' +
        `2026-10,1,${90 * minute},${90 * minute},2,${20 * minute},${28 * minute}\r\n`,
    );
  });

  it('counts incidents per period and severity, drills left out', () => {
    expect(countCsv(countRows(report))).toBe('period,SEV1,SEV2,SEV3,SEV4,total\r\n2026-09,0,0,0,0,0\r\n2026-10,1,0,1,0,2\r\n');
  });

  it('writes every metric of a table row', () => {
    const lines = groupCsv('service', report.byService).split('\r\n');
    expect(lines[0].split(',')).toHaveLength(2 + 4 * 4);
    expect(lines[1]).toBe(
      `api,2,0,,,,2,${2 * minute},${2 * minute},${2.8 * minute},2,${20 * minute},${20 * minute},${28 * minute},1,${90 * minute},${90 * minute},${90 * minute}`,
    );
    expect(lines[2].startsWith('db,1,')).toBe(true);
  });
});
