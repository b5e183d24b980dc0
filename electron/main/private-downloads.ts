// Files the desktop app saves through a download (reports, timeline CSV, evidence bundles, the
// catalog) are made readable by their owner only (0600) once written, as `holdfast export --out`
// writes them: an export carries the incident's record.
import { chmodSync } from 'node:fs';
import { privateFileMode } from '@shared/node/private-files';

/** The parts of Electron's DownloadItem this needs. */
export interface DownloadItemLike {
  getSavePath(): string;
  once(event: 'done', listener: (event: unknown, state: 'completed' | 'cancelled' | 'interrupted') => void): unknown;
}

/** The part of Electron's Session this needs. */
export interface DownloadSessionLike {
  on(event: 'will-download', listener: (event: unknown, item: DownloadItemLike) => void): unknown;
}

export function keepDownloadsPrivate(session: DownloadSessionLike, report: (error: unknown) => void = () => undefined): void {
  session.on('will-download', (_event, item) => {
    item.once('done', (_done, state) => {
      if (state !== 'completed') return;
      try {
        chmodSync(item.getSavePath(), privateFileMode);
      } catch (error) {
        report(error);
      }
    });
  });
}
