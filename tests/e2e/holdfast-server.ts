// Starts the real central sync service (`holdfast server`, the built bin) with users for a test.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { holdfastBin, stopProcess, tempDataDir } from './holdfast-web';

export interface RunningServer {
  url: string;
  tokens: Record<string, string>;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startHoldfastServer(users: Record<string, string>): Promise<RunningServer> {
  const dataDir = tempDataDir('holdfast-e2e-server-');
  const tokens: Record<string, string> = {};
  for (const [name, role] of Object.entries(users)) {
    const added = spawnSync(process.execPath, [holdfastBin, 'server', 'user', 'add', name, '--role', role, '--data', dataDir], { encoding: 'utf8' });
    const token = /token \(shown once, store it now\): (\S+)/.exec(added.stdout)?.[1];
    if (added.status !== 0 || !token) throw new Error(`could not add ${name}: ${added.stderr}`);
    tokens[name] = token;
  }
  const child = spawn(process.execPath, [holdfastBin, 'server', '--data', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`holdfast server did not start:\n${output}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /on (http:\/\/\S+:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  });
  return {
    url,
    tokens,
    process: child,
    stop: async () => {
      await stopProcess(child);
    },
  };
}
