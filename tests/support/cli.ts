// Runs the `holdfast` command line in-process and captures what it prints.
import { runCli, type CliIo } from '../../electron/cli/main';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export function captureIo(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l) => out.push(l), err: (l) => err.push(l), untilStopped: async () => undefined }, out, err };
}

export async function holdfast(...argv: string[]): Promise<CliRun> {
  const { io, out, err } = captureIo();
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
