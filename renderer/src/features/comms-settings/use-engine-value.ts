// Something the comms settings show while they are on screen (update templates, the organisation's
// comms settings, delivery channels): read from the engine, and read again whenever it says one of
// the streams it lives in changed (a save here, or one that arrived by sync). Only the newest answer
// is kept, so a slow read never overwrites a later one.
import { useCallback, useEffect, useRef, useState } from 'react';
import { client } from '../../store/client-ref';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

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
    const watched = streams.split('\n');
    const off = client().on('stream.changed', ({ streamId }) => {
      if (watched.includes(streamId)) reload();
    });
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
