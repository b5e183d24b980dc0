// Something a view shows while it is on screen (the library's checklists and update templates, the
// organisation's comms settings, delivery channels): read from the engine, and read again whenever
// it says one of the streams it lives in changed (a save here, or one that arrived by sync). Only
// the newest answer is kept, so a slow read never overwrites a later one.
import { useCallback, useEffect, useRef, useState } from 'react';
import { client } from '../store/client-ref';
import { messageOf } from './use-action';

export interface EngineValue<T> {
  /** Null until the first answer. */
  value: T | null;
  error: string | null;
  isLoading: boolean;
  /** Reads it again now. */
  reload: () => void;
  /** Shows what the engine answered a change with, at once. */
  show: (value: T) => void;
}

/** Calls `reread` whenever the engine says one of `streamIds` changed; returns the unsubscribe. */
export function onStreamsChanged(streamIds: readonly string[], reread: () => void): () => void {
  return client().on('stream.changed', ({ streamId }) => {
    if (streamIds.includes(streamId)) reread();
  });
}

export function useEngineValue<T>(read: () => Promise<T>, streamIds: readonly string[]): EngineValue<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(0);
  const isMounted = useRef(true);
  const readRef = useRef(read);
  readRef.current = read;
  const streams = streamIds.join('\n');

  const reload = useCallback(() => {
    const mine = ++asked.current;
    readRef.current().then(
      (answer) => {
        if (!isMounted.current || mine !== asked.current) return;
        setValue(answer);
        setError(null);
      },
      (failure: unknown) => {
        if (isMounted.current && mine === asked.current) setError(messageOf(failure));
      },
    );
  }, []);

  useEffect(() => {
    isMounted.current = true;
    reload();
    const off = onStreamsChanged(streams.split('\n'), reload);
    return () => {
      isMounted.current = false;
      off();
    };
  }, [reload, streams]);

  const show = useCallback((answer: T) => {
    asked.current++;
    setValue(answer);
    setError(null);
  }, []);

  return { value, error, isLoading: value === null && error === null, reload, show };
}
