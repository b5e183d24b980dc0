// The desktop app's downloads (exports saved from the UI) end 0600, like `holdfast export --out`.
import { EventEmitter } from 'node:events';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepDownloadsPrivate } from '../../electron/main/private-downloads';
import { tempDir } from '../support/temp';

function download(path: string) {
  const item = Object.assign(new EventEmitter(), { getSavePath: () => path });
  return item;
}

describe.skipIf(process.platform === 'win32')('downloads saved by the desktop app', () => {
  it('makes a completed download 0600 and leaves a cancelled one alone', () => {
    const session = new EventEmitter();
    keepDownloadsPrivate(session);
    const saved = join(tempDir(), 'incident-audit.md');
    const cancelled = join(tempDir(), 'partial.md');
    for (const path of [saved, cancelled]) {
      writeFileSync(path, 'record');
      chmodSync(path, 0o644);
    }
    const first = download(saved);
    const second = download(cancelled);
    session.emit('will-download', {}, first);
    session.emit('will-download', {}, second);
    first.emit('done', {}, 'completed');
    second.emit('done', {}, 'cancelled');
    expect((statSync(saved).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(cancelled).mode & 0o777).toString(8)).toBe('644');
  });

  it('reports a download it could not tighten', () => {
    const session = new EventEmitter();
    const errors: unknown[] = [];
    keepDownloadsPrivate(session, (error) => errors.push(error));
    const item = download(join(tempDir(), 'gone.md'));
    session.emit('will-download', {}, item);
    item.emit('done', {}, 'completed');
    expect(errors).toHaveLength(1);
  });
});
