// Outage mode: this laptop cannot reach the Holdfast service AND every health check the organisation
// configured (SSO, chat, status page URLs: org setting outage.healthChecks) fails too. Then the app
// says so in its header and offers the break-glass kit and the war-room hub, and each open
// incident's timeline records (system entries) when outage mode began and when it ended.
import type { Database } from 'better-sqlite3';
import { healthChecksKey, type CheckResult, type HealthCheck, type OutageStatus } from '@shared/domain/outage-api';
import type { OpDraft } from '@shared/ops';

export interface OutageDeps {
  db: Database;
  /** The central service this laptop syncs with, if any. */
  serviceUrl: () => string | null;
  /** Writes system timeline entries (through the replica's judge, like any write). */
  commit: (drafts: OpDraft[]) => void;
  now: () => number;
  onChange: (status: OutageStatus) => void;
  log: (line: string) => void;
  /** How long one probe may take (default 5 s). */
  timeoutMs?: number;
  /** How often to probe (default 30 s; 0: only when asked). */
  intervalMs?: number;
}

export interface OutageWatch {
  status(): OutageStatus;
  /** Probes the service and every health check now. */
  check(): Promise<OutageStatus>;
  checks(): HealthCheck[];
  close(): void;
}

/** The configured health checks (an org setting, JSON), or none when unset or unreadable. */
export function healthChecksOf(db: Database): HealthCheck[] {
  const value = db.prepare('SELECT value FROM org_settings WHERE id = ?').pluck().get(healthChecksKey) as string | undefined;
  if (!value) return [];
  try {
    const parsed = JSON.parse(value) as unknown;
    if (!Array.isArray(parsed)) return [];
    return (parsed as Partial<HealthCheck>[]).filter((c): c is HealthCheck => typeof c?.name === 'string' && typeof c?.url === 'string');
  } catch {
    return [];
  }
}

/** GETs `url`: up on any 2xx or 3xx answer within the time, down (with why) otherwise. */
async function probe(url: string, timeoutMs: number): Promise<{ isUp: boolean; detail: string }> {
  try {
    const response = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status < 400 ? { isUp: true, detail: `answered ${response.status}` } : { isUp: false, detail: `answered ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const name = (error as Error).name;
    if (name === 'TimeoutError') return { isUp: false, detail: `no answer within ${Math.round(timeoutMs / 1000)} s` };
    return { isUp: false, detail: cause?.code ? `unreachable (${cause.code})` : `unreachable (${(error as Error).message})` };
  }
}

const minutes = (ms: number) => {
  const m = Math.round(ms / 60_000);
  return m < 1 ? 'under a minute' : m === 1 ? '1 minute' : `${m} minutes`;
};

export function createOutageWatch(deps: OutageDeps): OutageWatch {
  const timeoutMs = deps.timeoutMs ?? 5000;
  let current: OutageStatus = { isOutage: false, since: null, service: null, checks: [], checkedAt: null };
  let running: Promise<OutageStatus> | null = null;

  const openIncidents = () => deps.db.prepare("SELECT id FROM incidents WHERE status <> 'closed' AND deleted = 0").pluck().all() as string[];
  const record = (text: string, at: number) => {
    const drafts: OpDraft[] = openIncidents().map((incidentId) => ({ entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'system', text, eventAt: at } }));
    if (drafts.length === 0) return;
    try {
      deps.commit(drafts);
    } catch (error) {
      deps.log(`holdfast: recording outage mode on the timeline failed: ${String(error)}`);
    }
  };

  const run = async (): Promise<OutageStatus> => {
    const url = deps.serviceUrl();
    const checks = healthChecksOf(deps.db);
    const [service, ...results] = await Promise.all([
      url ? probe(`${url.replace(/\/+$/, '')}/healthz`, timeoutMs) : Promise.resolve(null),
      ...checks.map((c) => probe(c.url, timeoutMs)),
    ]);
    const at = deps.now();
    const checkResults: CheckResult[] = checks.map((c, i) => ({ ...c, ...results[i], checkedAt: at }));
    // Only a laptop that has a service to lose can be in an outage; every configured check must fail too.
    const isOutage = url !== null && service !== null && !service.isUp && checkResults.every((c) => !c.isUp);
    const was = current;
    const next: OutageStatus = {
      isOutage,
      since: isOutage ? (was.since ?? at) : null,
      service: url && service ? { url, ...service } : null,
      checks: checkResults,
      checkedAt: at,
    };
    current = next;
    if (isOutage && !was.isOutage) {
      const failed = checkResults.map((c) => `${c.name} (${c.detail})`).join(', ');
      record(
        `Outage mode began: the Holdfast service ${url} (${service.detail})${failed ? ` and every health check (${failed})` : ''} failed from this laptop. Break-glass kit and war-room hub offered.`,
        at,
      );
    }
    if (!isOutage && was.isOutage) {
      const back = [service?.isUp ? 'the Holdfast service' : null, ...checkResults.filter((c) => c.isUp).map((c) => c.name)].filter(Boolean).join(', ');
      record(`Outage mode ended after ${minutes(at - (was.since ?? at))}: ${back || 'the checks changed'} answered again.`, at);
    }
    if (
      isOutage !== was.isOutage ||
      JSON.stringify(next.checks.map((c) => c.isUp)) !== JSON.stringify(was.checks.map((c) => c.isUp)) ||
      next.service?.isUp !== was.service?.isUp
    ) {
      deps.onChange(next);
    }
    return next;
  };

  const check = () => {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };

  const intervalMs = deps.intervalMs ?? 30_000;
  const timer = intervalMs > 0 ? setInterval(() => void check().catch((e: unknown) => deps.log(`holdfast: outage check failed: ${String(e)}`)), intervalMs) : null;
  timer?.unref();

  return {
    status: () => current,
    check,
    checks: () => healthChecksOf(deps.db),
    close() {
      if (timer) clearInterval(timer);
    },
  };
}
