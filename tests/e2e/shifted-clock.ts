// A `holdfast web` whose clock the test sets: incidents declared, mitigated and resolved months
// ago through the real API (the engine stamps every milestone with its own clock), then the clock
// set back to the real time for the browser. Set only forward within a scenario, as time goes.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../support/temp';
import { startHoldfastWeb, type RunningWeb } from './holdfast-web';

const preload = pathToFileURL(resolve(import.meta.dirname, 'shifted-clock.mjs')).href;

export interface ShiftedWeb extends RunningWeb {
  /** From now on the engine's clock reads `at` (UTC ms), stopped there until set again. */
  setClock(at: number): Promise<void>;
  /** Back to the real time. */
  realClock(): Promise<void>;
}

export async function startShiftedWeb(dataDir: string): Promise<ShiftedWeb> {
  const file = join(tempDir('holdfast-clock-'), 'offset');
  writeFileSync(file, 'offset 0');
  const web = await startHoldfastWeb(dataDir, { nodeArgs: ['--import', preload], env: { HOLDFAST_TEST_CLOCK_FILE: file } });
  const write = async (text: string) => {
    writeFileSync(file, text);
    // The process reads the file again at most every 10 ms.
    await new Promise((done) => setTimeout(done, 40));
  };
  return Object.assign(web, { setClock: (at: number) => write(`fixed ${Math.round(at)}`), realClock: () => write('offset 0') });
}
