// Checklists every replica starts with, so evidence can be preserved on day one with nothing
// configured. Saving one in the library replaces it there (same id); removing it hides it.
import { volatilityOf, type ArtifactType, type ChecklistTemplate, type TemplateItem } from './evidence';

const item = (key: string, artifactType: ArtifactType, asset: string, what: string, how: string, isRequired = true): TemplateItem => ({
  key,
  artifactType,
  asset,
  what,
  how,
  isRequired,
  volatility: volatilityOf[artifactType],
});

export const builtInTemplates: ChecklistTemplate[] = [
  {
    id: 'database-outage',
    name: 'Database outage: before failover or restart',
    incidentTypes: ['outage', 'data', 'degradation'],
    items: [
      item('db-process-state', 'process', 'database primary', 'Process list, open connections and locks', '`ps auxww`, `pg_stat_activity` and `pg_locks` saved to files'),
      item('db-heap-or-core', 'heap-dump', 'database primary', 'Core dump of the hung or crashing server process', '`gcore <pid>` before the process is killed', false),
      item('db-config', 'config', 'database primary', 'Configuration snapshot', '`postgresql.conf`, `pg_hba.conf`, Patroni config and `patronictl list` output'),
      item('db-server-log', 'log', 'database primary', 'Server log since the incident began', 'Copy the PostgreSQL log files covering the window; note the first error'),
      item(
        'db-replica-state',
        'database',
        'replicas',
        'Replication state of every replica',
        '`pg_stat_replication` on the primary, `pg_last_wal_replay_lsn()` on each replica',
      ),
      item('app-logs', 'log', 'application tier', 'Application error logs around the first failures', 'Export from the log store for the incident window'),
    ],
    updatedAt: 0,
    updatedBy: 'holdfast',
  },
  {
    id: 'compromised-host',
    name: 'Suspected compromised host',
    incidentTypes: ['security'],
    items: [
      item('memory-image', 'memory', 'affected host', 'Full memory image', "LiME or AVML to external storage; never to the host's own disk"),
      item('network-connections', 'network', 'affected host', 'Live network connections and routing', '`ss -tanp`, `ip route`, firewall rules'),
      item('process-tree', 'process', 'affected host', 'Process tree with command lines and open files', '`ps -eo pid,ppid,user,lstart,cmd`, `lsof -n`'),
      item('disk-image', 'disk', 'affected host', 'Disk image or volume snapshot', "Cloud snapshot or `dd` to write-blocked storage; record the tool's hash"),
      item('auth-logs', 'log', 'affected host', 'Authentication and audit logs', '`/var/log/auth.log`, auditd logs, cloud audit trail for the instance'),
      item('edr-export', 'cloud', 'EDR console', 'EDR timeline for the host', 'Export from the EDR console for the window', false),
    ],
    updatedAt: 0,
    updatedBy: 'holdfast',
  },
  {
    id: 'bad-release',
    name: 'Bad release: before rollback',
    incidentTypes: ['degradation', 'outage'],
    items: [
      item('pod-state', 'process', 'affected deployment', 'Pod and ReplicaSet state', '`kubectl get pods,rs -o wide` and `kubectl describe` of failing pods'),
      item('heap-dump', 'heap-dump', 'one failing pod', 'Heap or thread dump of a failing instance', "`jcmd <pid> GC.heap_dump` or the runtime's equivalent", false),
      item(
        'release-config',
        'config',
        'deployment',
        'Manifests and config of the bad and the previous release',
        '`kubectl get deploy -o yaml`, Helm values, feature flags',
      ),
      item('container-logs', 'log', 'affected deployment', 'Container logs of the failing pods', '`kubectl logs --all-containers --previous`'),
    ],
    updatedAt: 0,
    updatedBy: 'holdfast',
  },
];
