// Where a replica lives by default: the same folder Electron uses as `userData` for "Holdfast",
// so the desktop app and `holdfast web` open the same replica unless told otherwise.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const productName = 'Holdfast';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.HOLDFAST_DATA) return env.HOLDFAST_DATA;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), productName);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', productName);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), productName);
}
