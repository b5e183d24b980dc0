// One key convention across the files a team writes: runbook front matter, catalog YAML and CSV,
// directory CSV all take snake_case, kebab-case, camelCase and "Words with spaces" for one key, and
// write snake_case back.
import { describe, expect, it } from 'vitest';
import { readCatalogCsv, readCatalogYaml, writeCatalog } from '../../electron/engine/catalog/catalog-file';
import { readDirectoryCsv } from '../../electron/engine/directory/directory-csv';
import { parseRunbook } from '@shared/domain/runbook-format';

describe('the catalog', () => {
  it('reads ownerTeam, rto-min and rpoMin in YAML as owner_team, rto_min and rpo_min', () => {
    const reading = readCatalogYaml(
      ['services:', '  - id: orders-db', '    ownerTeam: Payments', '    rto-min: 15', '    rpoMin: 0', '    dependsOn: [storage]'].join('\n'),
    );
    expect(reading.problems).toEqual([]);
    expect(reading.entries[0].values).toEqual({ id: 'orders-db', owner_team: 'Payments', rto_min: 15, rpo_min: 0, depends_on: ['storage'] });
    expect(reading.entries[0].lines).toMatchObject({ owner_team: 3, rto_min: 4, rpo_min: 5, depends_on: 6 });
  });

  it('reads CSV headers written in any of the spellings', () => {
    const reading = readCatalogCsv('id,Owner team,rtoMin,rpo-min\norders-db,Payments,15,0\n');
    expect(reading.problems).toEqual([]);
    expect(reading.entries[0].values).toMatchObject({ id: 'orders-db', owner_team: 'Payments', rto_min: '15', rpo_min: '0' });
  });

  it('refuses one key given twice under two spellings, at its line', () => {
    const reading = readCatalogYaml(['- id: orders-db', '  owner_team: Payments', '  ownerTeam: Data'].join('\n'));
    expect(reading.problems.map((p) => [p.line, p.message])).toEqual([[3, '"ownerTeam" is given twice for this service (also line 2)']]);
  });

  it('writes snake_case', () => {
    const yaml = writeCatalog('yaml', [], []);
    const csv = writeCatalog('csv', [], []);
    expect(csv.split(/\r?\n/)[0]).toBe('id,name,tier,owner_team,rto_min,rpo_min,depends_on,runbooks,checklists,description');
    expect(yaml).not.toMatch(/ownerTeam|rto-min/);
  });
});

describe('the directory', () => {
  it('reads timeZone, time-zone and "Time zone" as time_zone', () => {
    for (const header of ['timeZone', 'time-zone', 'Time zone', 'time_zone']) {
      const reading = readDirectoryCsv(`name,${header}\nAna Ruiz,Europe/Madrid\n`);
      expect(reading.problems).toEqual([]);
      expect(reading.columns).toEqual(['name', 'time_zone']);
    }
  });
});

describe('runbook front matter', () => {
  it.each(['incident_types', 'incident-types', 'incidentTypes', 'Incident types'])('reads %s as incident_types', (key) => {
    const result = parseRunbook(`---\ntitle: x\n${key}: [database]\n---\n1. a\n`);
    expect(result.ok && result.runbook.meta.incidentTypes).toEqual(['database']);
  });
});
