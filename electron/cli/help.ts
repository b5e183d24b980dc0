// `holdfast <command> --help`: the lines of the usage text that describe one command (all its
// forms, with their explanations), then the options every command shares.

/** The usage lines about `command`: each "  command …" line with the indented lines that follow it. */
export function commandHelp(usage: string, command: string): string | null {
  const lines = usage.split('\n');
  const picked: string[] = [];
  let inBlock = false;
  for (const line of lines) {
    const starts = /^ {2}(\S+)/.exec(line);
    if (starts) inBlock = starts[1] === command;
    else if (!/^ {3,}\S/.test(line)) inBlock = false;
    if (inBlock) picked.push(line);
  }
  if (picked.length === 0) return null;
  const shared = lines.slice(lines.findIndex((l) => /^ {2}--data /.test(l)));
  return [`Usage: holdfast ${command} [options]`, '', ...picked, '', ...shared].join('\n');
}

/** Whether the arguments ask for help (`--help` or `-h` anywhere before a `--`). */
export function asksForHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}
