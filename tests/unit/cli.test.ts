import { describe, expect, it } from 'vitest';
import { parsePort, runCli } from '../../electron/cli/main';
import { captureIo as capture } from '../support/cli';

describe('holdfast CLI', () => {
  it('exits 2 with usage for an unknown command', async () => {
    const { io, err } = capture();
    expect(await runCli(['serve'], io)).toBe(2);
    expect(err[0]).toBe('holdfast: unknown command "serve".');
    expect(err.join('\n')).toContain('Usage: holdfast <command>');
  });

  it('exits 2 with usage when no command is given', async () => {
    const { io, err } = capture();
    expect(await runCli([], io)).toBe(2);
    expect(err.join('\n')).toContain('Usage:');
  });

  it('prints help and the version with exit 0', async () => {
    const help = capture();
    expect(await runCli(['help'], help.io)).toBe(0);
    expect(help.out.join('\n')).toContain('web [--data DIR] [--port P]');
    const version = capture();
    expect(await runCli(['--version'], version.io)).toBe(0);
    expect(version.out).toEqual(['0.0.0-test']);
  });

  it.each([
    [['web', '--bogus'], "Unknown option '--bogus'"],
    [['web', '--port', 'eighty'], '--port must be a whole number from 0 to 65535, got "eighty"'],
    [['web', '--port', '70000'], 'got "70000"'],
    [['web', 'extra'], 'Unexpected argument'],
    [['web', '--data', ''], '--data needs a folder path'],
    [['web', '--keep-closed-days', '0'], '--keep-closed-days must be a whole number of days from 1 to 36500, got "0"'],
    [['web', '--keep-closed-days', 'ninety'], 'got "ninety"'],
  ])('exits 2 naming the problem for %j', async (argv, message) => {
    const { io, err } = capture();
    expect(await runCli(argv, io)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toContain(message);
    expect(err[0]).toMatch(/^holdfast web: /);
  });

  it.each([
    [['backup', '--data', '/tmp/x'], '--out FILE is required'],
    [['verify'], 'name the backup file to verify'],
    [['verify', 'a.db', 'b.db'], 'Unexpected argument "b.db"'],
    [['restore', '--data', '/tmp/x'], 'name the backup file to restore'],
    [['verify-chain', '--data'], "Option '--data <value>' argument missing"],
    [['rebuild', '--force'], "Unknown option '--force'"],
  ])('exits 2 for replica commands used wrongly: %j', async (argv, message) => {
    const { io, err } = capture();
    expect(await runCli(argv, io)).toBe(2);
    expect(err.join('\n')).toContain(message);
  });

  it('lists the catalog commands in its help, and exits 2 when they are used wrongly', async () => {
    const help = capture();
    expect(await runCli(['help'], help.io)).toBe(0);
    expect(help.out.join('\n')).toContain('catalog import FILE [--format yaml|csv] [--dry-run] [--data DIR]');
    expect(help.out.join('\n')).toContain('catalog export [--format yaml|csv] [--out FILE] [--data DIR]');
    for (const [argv, message] of [
      [['catalog'], 'usage: holdfast catalog import FILE'],
      [['catalog', 'import'], 'name the catalog file to import'],
      [['catalog', 'import', 'services.txt'], 'name it .yaml or .csv, or give --format yaml|csv'],
      [['catalog', 'import', 'services.yaml', '--format', 'json'], '--format must be yaml or csv, got "json"'],
      [['catalog', 'export', '--out', ''], '--out needs a file path'],
    ] as const) {
      const { io, err } = capture();
      expect(await runCli([...argv], io)).toBe(2);
      expect(err.join('\n')).toContain(message);
      expect(err[0]).toMatch(/^holdfast catalog: /);
    }
  });

  it('parses ports', () => {
    expect(parsePort(undefined, 7420)).toBe(7420);
    expect(parsePort('0', 7420)).toBe(0);
    expect(parsePort('8080', 7420)).toBe(8080);
    expect(() => parsePort('-1', 7420)).toThrow('--port');
    expect(() => parsePort('80.5', 7420)).toThrow('--port');
  });
});
