// The fields an engine error names, so a form can mark them beside the message. The engine words a
// refused request as `Invalid request for comms.saveSettings: cadence.SEV1.internal: must be…;
// namedApprovers.0: must be a user name`, and a refused channel configuration as a sentence with
// one problem per field (`The channel cannot be saved: url is not a web address: …; secretHeader.value
// is empty: …`).
export interface FieldProblem {
  /** The field's path as the engine names it, e.g. `cadence.SEV1.internal` or `secretHeader.value`. */
  path: string;
  message: string;
}

const pathPattern = /^([A-Za-z][\w]*(?:\.[\w]+)*)(?::\s|\s)([\s\S]+)$/;

/** Each `path: message` (or `path message`) part of an engine error; parts naming no known field are left out. */
export function fieldProblems(error: string | null, knownRoots: readonly string[]): FieldProblem[] {
  if (!error) return [];
  const body = error.replace(/^Invalid request for [\w.]+: /, '').replace(/\.$/, '');
  const problems: FieldProblem[] = [];
  const known = (path: string) => knownRoots.includes(path.replace(/^config\./, '').split('.')[0]);
  for (const [index, raw] of body.split('; ').entries()) {
    let match = pathPattern.exec(raw.trim());
    // A sentence before the list ("The channel cannot be saved: url is…") is not a field.
    if (index === 0 && (!match || !known(match[1]))) {
      const rest = /^[^:]*:\s+([\s\S]+)$/.exec(raw.trim());
      match = rest ? pathPattern.exec(rest[1]) : null;
    }
    if (!match || !known(match[1])) continue;
    problems.push({ path: match[1].replace(/^config\./, ''), message: match[2].trim() });
  }
  return problems;
}

/** The first problem at `path` or inside it (`to` also finds `to.1`). */
export function problemAt(problems: readonly FieldProblem[], path: string): string | undefined {
  return problems.find((p) => p.path === path || p.path.startsWith(`${path}.`))?.message;
}
