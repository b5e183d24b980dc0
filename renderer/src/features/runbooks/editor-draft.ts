// What the runbook editor opens with: a new runbook from the template, an edit of the version being
// read, or a merge of sibling versions. Each says which versions the save builds on (its parents).
import type { RunbookContent, RunbookDetail } from '@shared/domain/runbook';
import { newRunbookTemplate } from './runbook-template';

export interface EditorDraft {
  /** The runbook edited; null for a new one. */
  runbookId: string | null;
  heading: string;
  source: string;
  parents: string[];
  note: string;
  /** Said above the editor when saving does more than add the next version (a sibling, a merge). */
  notice: string | null;
  /** The sibling versions being merged, newest first, to read beside the editor. */
  siblings: RunbookContent[];
}

export function newRunbookDraft(now: number): EditorDraft {
  return { runbookId: null, heading: 'New runbook', source: newRunbookTemplate(now), parents: [], note: '', notice: null, siblings: [] };
}

/** An edit of the version on screen, saved as the version after it. */
export function editDraft(detail: RunbookDetail): EditorDraft {
  const { summary, content } = detail;
  const version = content.version;
  const current = detail.history.find((v) => v.id === summary.currentVersionId);
  let notice: string | null = null;
  if (version.id !== summary.currentVersionId) {
    notice =
      `You are editing version ${version.number}, not the current version ${current?.number ?? ''}. ` +
      `Saving keeps both as unmerged versions, to be merged afterwards.`;
  } else if (summary.headIds.length > 1) {
    notice = `This runbook has ${summary.headIds.length} unmerged versions: this edit builds on the newest only. Use Merge… to settle them.`;
  }
  return {
    runbookId: summary.id,
    heading: `Edit “${summary.title}”`,
    source: version.source,
    parents: [version.id],
    note: '',
    notice,
    siblings: [],
  };
}

/** A merge of every sibling version, starting from the newest one's text. */
export function mergeDraft(detail: RunbookDetail): EditorDraft {
  const { summary, siblings } = detail;
  const numbers = siblings.map((s) => `v${s.version.number}`);
  return {
    runbookId: summary.id,
    heading: `Merge ${siblings.length} versions of “${summary.title}”`,
    source: siblings[0].version.source,
    parents: siblings.map((s) => s.version.id),
    note: `Merged ${numbers.slice(1).join(', ')} into ${numbers[0]}`,
    notice:
      `The text below is the newest version (${numbers[0]}). Bring in what the other ${siblings.length > 2 ? 'versions' : 'version'} changed ` +
      `(see the tabs on the right), then save: the merge replaces all ${siblings.length}.`,
    siblings,
  };
}
