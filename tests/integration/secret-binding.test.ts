// A laptop's kept secret is bound to the configuration it was typed in with (the redacted config's
// digest): a synced edit of a target's or channel's address (or any other field) that keeps the
// secretId never makes the holder send its secret to the new place; it must be typed again there.
// Target addresses never point at link-local or cloud metadata hosts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { targetConfig } from '@shared/domain/integrations';
import { forbiddenHostReason } from '@shared/domain/url-safety';
import { call, openTestEngine, refusal } from '../support/engines';
import { httpReceiver } from '../support/receivers';

const routingKey = 'R0UT1NG-5ECRET-91f2';
const apiKey = 'SP-KEY-5ECRET-44c1';

describe('secrets bound to their configuration', () => {
  const legit = httpReceiver();
  const evil = httpReceiver();
  let legitPort = 0;
  let evilPort = 0;
  beforeAll(async () => {
    legitPort = await legit.listen();
    evilPort = await evil.listen();
    for (const r of [legit, evil]) r.routes.set('POST /x', (_q: unknown, res: ServerResponse) => res.writeHead(202).end('{}'));
  });
  afterAll(async () => {
    await legit.close();
    await evil.close();
  });

  it('a synced target edit that changes only the url does not carry the held routing key there; typing it again does', async () => {
    const engine = openTestEngine({ outbox: { intervalMs: 3_600_000, retryDelaysMs: [100], timeoutMs: 1000, leaseMs: 100 } });
    const team = await call(engine, 'directory.saveTeam', { name: 'Payments', description: '', escalationPhone: '', pager: '' });
    const url = `http://127.0.0.1:${legitPort}/x`;
    const target = await call(engine, 'integrations.saveTarget', { name: 'PD', config: { kind: 'pagerduty', routingKey, url } });
    expect(target).toMatchObject({ isHeldHere: true });
    expect(target.secretNote).toBeUndefined();
    await call(engine, 'integrations.setTeamTargets', { teamId: team.id, targetIds: [target.id] });
    // What another laptop's op would carry: the redacted config with the url changed, the same secretId.
    const evilUrl = `http://127.0.0.1:${evilPort}/x`;
    engine.replica.commitLocal([{ entity: 'integration_target', rowId: target.id, fields: { config: { kind: 'pagerduty', routingKey: '••••', url: evilUrl } } }]);
    const [seen] = await call(engine, 'integrations.targets', {});
    expect(seen).toMatchObject({ id: target.id, isHeldHere: false, secretNote: 'secret must be entered again on this laptop after the target changed' });
    const incident = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV2', summary: '' });
    await call(engine, 'integrations.page', { incidentId: incident.id, teamId: team.id });
    await engine.runOutboxPass();
    expect(evil.received.map((r) => r.body).join('')).not.toContain(routingKey);
    expect(evil.received).toHaveLength(0);
    // Typed again here for the config as it now stands: this laptop holds it and sends.
    const again = await call(engine, 'integrations.setTargetSecret', { id: target.id, config: { kind: 'pagerduty', routingKey, url: evilUrl } });
    expect(again).toMatchObject({ isHeldHere: true });
    expect(again.secretNote).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 150)); // the pass over the unheld send has run out
    await engine.runOutboxPass();
    expect(evil.received.map((r) => r.body).join('')).toContain(routingKey);
    await engine.close();
  });

  it('a synced channel edit that changes only the Statuspage baseUrl leaves the held API key unjoined; the holder saving it rebinds', async () => {
    const engine = openTestEngine();
    const held = async () => (await call(engine, 'comms.channels', {}))[0];
    const config = { kind: 'statuspage' as const, baseUrl: `http://127.0.0.1:${legitPort}/v1`, pageId: 'page-1', apiKey };
    const saved = await call(engine, 'comms.saveChannel', { name: 'Status page', audiences: ['customers'], config });
    expect((await held()).secret).toMatchObject({ isHeldHere: true });
    const evilBase = `http://127.0.0.1:${evilPort}/v1`;
    engine.replica.commitLocal([{ entity: 'comms_channel', rowId: saved.id, fields: { config: { ...config, apiKey: '••••', baseUrl: evilBase } } }]);
    expect((await held()).secret).toMatchObject({ isHeldHere: false });
    // The holder types the key in for the new address: bound again, joined again.
    await call(engine, 'comms.setChannelSecret', { id: saved.id, config: { ...config, baseUrl: evilBase } });
    expect((await held()).secret).toMatchObject({ isHeldHere: true });
    // The holder edits a non-secret field with the secret left as shown: still joined (rebound to the saved config).
    const shown = (await held()).config;
    await call(engine, 'comms.saveChannel', { id: saved.id, name: 'Status page', audiences: ['customers'], config: { ...shown, pageId: 'page-2' } });
    expect(await held()).toMatchObject({ config: { pageId: 'page-2', apiKey: '••••' }, secret: { isHeldHere: true } });
    await engine.close();
  });
});

describe('target addresses', () => {
  const urlOf = (url: string) => targetConfig.safeParse({ kind: 'slack', url });

  it('refuses link-local and cloud metadata hosts in every spelling', () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://169.254.1.2/x',
      'http://2852039166/x',
      'http://0xa9.0xfe.0xa9.0xfe/x',
      'http://[fd00:ec2::254]/x',
      'http://[fe80::1]/x',
      'http://[::ffff:169.254.169.254]/x',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://METADATA.google.internal./x',
    ]) {
      expect(forbiddenHostReason(url), url).not.toBeNull();
      const parsed = urlOf(url);
      expect(parsed.success, url).toBe(false);
      expect(JSON.stringify(parsed.error?.issues)).toContain('must not point at');
    }
  });

  it('allows loopback, private and public hosts, as delivery channels do', () => {
    for (const url of ['http://127.0.0.1:8080/x', 'http://10.0.0.5/hook', 'http://[::1]:9000/x', 'https://hooks.slack.com/services/T/B/X', 'https://192.168.1.4/x']) {
      expect(forbiddenHostReason(url), url).toBeNull();
      expect(urlOf(url).success, url).toBe(true);
    }
  });

  it('saving a target at a metadata address is refused with a clear error and writes nothing', async () => {
    const engine = openTestEngine();
    const before = engine.replica.opLog.count();
    const error = await refusal(() =>
      call(engine, 'integrations.saveTarget', { name: 'Meta', config: { kind: 'pagerduty', routingKey, url: 'http://169.254.169.254/x' } }),
    );
    expect(error.message).toMatch(/link-local|metadata/);
    expect(engine.replica.opLog.count()).toBe(before);
    await engine.close();
  });
});
