// Keeps the directory current while it is on screen: loads it, and reads it again whenever the
// engine says the `directory` stream changed (an edit here, or ops that arrived by sync).
import { useEffect } from 'react';
import { directoryStream } from '@shared/entities';
import { useStore } from '../../store';
import { client } from '../../store/client-ref';

export function useDirectoryUpdates(): void {
  useEffect(() => {
    void useStore.getState().loadDirectory();
    return client().on('stream.changed', ({ streamId }) => {
      if (streamId === directoryStream) void useStore.getState().loadDirectory();
    });
  }, []);
}
