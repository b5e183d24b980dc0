// Views over many incidents (the reviews overview, action items across incidents, the metrics
// dashboard) read again when any incident changes: a save here, or one that arrived by sync. Bursts
// of changes (a sync bringing many) are gathered into one read a moment later.
import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from '../../lib/use-action';
import { client } from '../../store/client-ref';

export function useIncidentChanges(reread: () => void, delayMs = 300): void {
  const rereadRef = useRef(reread);
  rereadRef.current = reread;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = client().on('incidents.changed', () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        rereadRef.current();
      }, delayMs);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [delayMs]);
}

export interface IncidentsRead<T> {
  /** Null until the first answer; then the latest, kept while a new read (other filters) is on its way. */
  value: T | null;
  error: string | null;
  /** True while a read is on its way. */
  isReading: boolean;
  reload: () => void;
}

/**
 * A read from the engine, done again whenever `read` changes (new filters: memoise it) or any
 * incident changes. Only the newest read's answer is kept, so a slow read never overwrites a later one.
 */
export function useIncidentsRead<T>(read: () => Promise<T>): IncidentsRead<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isReading, setReading] = useState(true);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  useIncidentChanges(reload);
  useEffect(() => {
    let isCurrent = true;
    setReading(true);
    read().then(
      (answer) => {
        if (!isCurrent) return;
        setValue(answer);
        setError(null);
        setReading(false);
      },
      (failure: unknown) => {
        if (!isCurrent) return;
        setError(messageOf(failure));
        setReading(false);
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [read, version]);
  return { value, error, isReading, reload };
}
