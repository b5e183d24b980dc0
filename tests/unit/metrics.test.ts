import { describe, expect, it } from 'vitest';
import type { Incident } from '@shared/domain/incident';
import { formatDuration, incidentDurations, metricsReport, periodOf, periodsBetween, quantile, summarise } from '@shared/domain/metrics';

const min = 60_000;
const t = (iso: string) => Date.parse(iso);

function incident(id: string, over: Partial<Omit<Incident, 'milestones'>> & { milestones?: Partial<Incident['milestones']> }): Incident & { isDrill: boolean } {
  const declaredAt = over.declaredAt ?? t('2026-09-10T10:00:00Z');
  return {
    id,
    title: id,
    severity: 'SEV2',
    status: 'resolved',
    summary: '',
    type: '',
    services: ['checkout'],
    isDrill: false,
    updatedAt: declaredAt,
    isLegalHold: false,
    legalHoldReason: '',
    ...over,
    declaredAt,
    milestones: { started: null, detected: declaredAt, acknowledged: null, mitigated: null, resolved: null, closed: null, ...over.milestones },
  };
}

describe('durations of one incident', () => {
  it('measures detect from the impact start, acknowledge from detection, mitigate and resolve from the impact start', () => {
    const d = t('2026-09-10T10:00:00Z');
    const durations = incidentDurations(
      incident('a', {
        declaredAt: d,
        milestones: { started: d - 20 * min, detected: d - 5 * min, acknowledged: d + 2 * min, mitigated: d + 40 * min, resolved: d + 100 * min },
      }),
    ).durations;
    expect(durations).toEqual({ detect: 15 * min, acknowledge: 7 * min, mitigate: 60 * min, resolve: 120 * min });
  });

  it('leaves time to detect out without an impact start, and measures the rest from detection', () => {
    const d = t('2026-09-10T10:00:00Z');
    expect(incidentDurations(incident('b', { declaredAt: d, milestones: { acknowledged: d + min, resolved: d + 30 * min } })).durations).toEqual({
      detect: null,
      acknowledge: min,
      mitigate: null,
      resolve: 30 * min,
    });
  });
});

describe('percentiles and summaries', () => {
  it('interpolates between closest ranks (R-7)', () => {
    expect(quantile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(quantile([10, 20, 30, 40], 0.9)).toBeCloseTo(37);
    expect(quantile([5], 0.9)).toBe(5);
    expect(quantile([], 0.5)).toBeNull();
    expect(summarise([40, 10, 30, 20])).toEqual({ count: 4, mean: 25, p50: 25, p90: 37 });
    expect(summarise([])).toEqual({ count: 0, mean: null, p50: null, p90: null });
  });

  it('names months and ISO weeks in UTC, with every period of a range listed', () => {
    expect(periodOf(t('2026-11-30T23:30:00Z'), 'month')).toBe('2026-11');
    expect(periodOf(t('2027-01-01T00:30:00Z'), 'week')).toBe('2026-W53');
    expect(periodsBetween(t('2026-09-15T00:00:00Z'), t('2026-12-01T00:00:00Z'), 'month')).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(periodsBetween(t('2026-11-02T00:00:00Z'), t('2026-11-23T00:00:00Z'), 'week')).toEqual(['2026-W45', '2026-W46', '2026-W47']);
  });

  it('reads durations as people do', () => {
    expect([formatDuration(null), formatDuration(45_000), formatDuration(12 * min), formatDuration(185 * min), formatDuration(52 * 60 * min)]).toEqual([
      '—',
      '45 s',
      '12 min',
      '3 h 05 min',
      '2 d 4 h',
    ]);
    // Milestones corrected out of order give a negative duration: it keeps its sign.
    expect([formatDuration(-12 * min), formatDuration(-185 * min)]).toEqual(['-12 min', '-3 h 05 min']);
  });
});

describe('the metrics report', () => {
  const range = { from: t('2026-09-01T00:00:00Z'), to: t('2026-12-01T00:00:00Z'), period: 'month' as const };
  const at = (iso: string, minutes: number) => t(iso) + minutes * min;
  const fixed = [
    incident('sep-sev1', {
      severity: 'SEV1',
      services: ['checkout', 'payments'],
      declaredAt: t('2026-09-05T10:00:00Z'),
      milestones: { acknowledged: at('2026-09-05T10:00:00Z', 4), mitigated: at('2026-09-05T10:00:00Z', 30), resolved: at('2026-09-05T10:00:00Z', 90) },
    }),
    incident('sep-sev2', {
      severity: 'SEV2',
      services: ['search'],
      declaredAt: t('2026-09-20T08:00:00Z'),
      milestones: { acknowledged: at('2026-09-20T08:00:00Z', 10), resolved: at('2026-09-20T08:00:00Z', 60) },
    }),
    // A corrected milestone: resolution corrected from 300 to 150 minutes; the report reads what stands now.
    incident('oct-sev1', {
      severity: 'SEV1',
      services: ['checkout'],
      declaredAt: t('2026-10-02T12:00:00Z'),
      milestones: { started: at('2026-10-02T12:00:00Z', -10), acknowledged: at('2026-10-02T12:00:00Z', 2), resolved: at('2026-10-02T12:00:00Z', 150) },
    }),
    // A drill counts for nothing but the drill count.
    incident('oct-drill', {
      severity: 'SEV1',
      isDrill: true,
      declaredAt: t('2026-10-10T12:00:00Z'),
      milestones: { acknowledged: at('2026-10-10T12:00:00Z', 1), resolved: at('2026-10-10T12:00:00Z', 5) },
    }),
    // Still open: counted as an incident, left out of mitigate and resolve.
    incident('nov-open', {
      severity: 'SEV3',
      status: 'investigating',
      services: [],
      declaredAt: t('2026-11-03T09:00:00Z'),
      milestones: { acknowledged: at('2026-11-03T09:00:00Z', 20) },
    }),
    // Outside the range.
    incident('aug', { declaredAt: t('2026-08-30T09:00:00Z'), milestones: { resolved: at('2026-08-30T09:00:00Z', 5) } }),
  ];
  const report = metricsReport(fixed, range);

  it('counts incidents in the range, drills left out', () => {
    expect(report.incidents.map((i) => i.incidentId)).toEqual(['sep-sev1', 'sep-sev2', 'oct-sev1', 'nov-open']);
    expect(report.drillsExcluded).toBe(1);
    expect(report.overall.incidents).toBe(4);
  });

  it('summarises each metric over the incidents that reached it', () => {
    expect(report.overall.metrics.acknowledge).toMatchObject({ count: 4, mean: 9 * min, p50: 7 * min });
    expect(report.overall.metrics.acknowledge.p90! / min).toBeCloseTo(17);
    // resolve: 90 (sep-sev1), 60 (sep-sev2), 160 (oct-sev1: from the impact start 10 minutes before detection)
    expect(report.overall.metrics.resolve).toMatchObject({ count: 3, mean: (310 / 3) * min, p50: 90 * min });
    expect(report.overall.metrics.detect).toEqual({ count: 1, mean: 10 * min, p50: 10 * min, p90: 10 * min });
    expect(report.overall.metrics.mitigate.count).toBe(1);
  });

  it('groups by severity, by each service of an incident, and by month with quiet months kept', () => {
    expect(report.bySeverity.map((r) => [r.key, r.incidents, r.metrics.resolve.mean])).toEqual([
      ['SEV1', 2, 125 * min],
      ['SEV2', 1, 60 * min],
      ['SEV3', 1, null],
    ]);
    expect(report.byService.map((r) => [r.key, r.incidents])).toEqual([
      ['checkout', 2],
      ['payments', 1],
      ['search', 1],
    ]);
    expect(report.byPeriod.map((r) => [r.key, r.incidents, r.metrics.resolve.mean])).toEqual([
      ['2026-09', 2, 75 * min],
      ['2026-10', 1, 160 * min],
      ['2026-11', 1, null],
    ]);
    expect(report.counts).toEqual([
      { period: '2026-09', bySeverity: { SEV1: 1, SEV2: 1, SEV3: 0, SEV4: 0 }, total: 2 },
      { period: '2026-10', bySeverity: { SEV1: 1, SEV2: 0, SEV3: 0, SEV4: 0 }, total: 1 },
      { period: '2026-11', bySeverity: { SEV1: 0, SEV2: 0, SEV3: 1, SEV4: 0 }, total: 1 },
    ]);
  });
});
