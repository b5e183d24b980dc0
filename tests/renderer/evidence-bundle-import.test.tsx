// Importing an evidence bundle against a real engine: an empty file is refused with what to do and
// nothing is written. (A bundle that loads is covered by tests/e2e/evidence-import.e2e.ts: under
// jsdom the engine's check of the bytes sees another realm's Uint8Array and refuses any bundle.)
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EvidenceBundleImport } from '../../renderer/src/features/evidence-import/evidence-bundle-import';
import { setClient } from '../../renderer/src/store/client-ref';
import { clientOfEngine } from '../support/engine-client';
import { openTestEngine, stateOf } from '../support/engines';

function showImport() {
  const engine = openTestEngine();
  setClient(clientOfEngine(engine));
  render(<EvidenceBundleImport onClose={() => undefined} />);
  return engine;
}

const pick = (file: File) => fireEvent.change(screen.getByTestId('bundle-import-input'), { target: { files: [file] } });

describe('Importing an evidence bundle', { timeout: 30_000 }, () => {
  it('refuses an empty file with what to do, and writes nothing', async () => {
    const engine = showImport();
    const before = stateOf(engine);
    pick(new File([], 'evidence.zip', { type: 'application/zip' }));
    expect((await screen.findByTestId('bundle-import-error')).textContent).toBe(
      'evidence.zip was not imported; nothing was changed. evidence.zip is empty: choose the .zip that "holdfast evidence bundle" wrote.',
    );
    expect(stateOf(engine)).toEqual(before);
  });
});
