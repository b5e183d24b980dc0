// The library's evidence checklists while they are on screen: read from the engine, and read again
// whenever it says the `library` stream changed (a save or removal here, or one that arrived by
// sync). Only the newest answer is kept, so a slow read never overwrites a later one.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChecklistTemplate } from '../../../../shared/domain/evidence';
import { libraryStream } from '../../../../shared/entities';
import { client } from '../../store/client-ref';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface Checklists {
  /** The checklists, by name; null until the first answer. */
  templates: ChecklistTemplate[] | null;
  error: string | null;
  isLoading: boolean;
  /** Reads them again now (after a save, without waiting for the change event). */
  reload: () => void;
  /** Shows a checklist as the engine answered a save at once, while the list is read again. */
  showSaved: (saved: ChecklistTemplate) => void;
  /** Shows the checklists the engine answered a removal with. */
  showRemaining: (templates: ChecklistTemplate[]) => void;
}

const byName = (a: ChecklistTemplate, b: ChecklistTemplate) => a.name.localeCompare(b.name);

export function useChecklists(): Checklists {
  const [templates, setTemplates] = useState<ChecklistTemplate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(0);
  const isMounted = useRef(true);

  const reload = useCallback(() => {
    const mine = ++asked.current;
    client()
      .call('evidence.templates', {})
      .then(
        (value) => {
          if (!isMounted.current || mine !== asked.current) return;
          setTemplates(value);
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
    const off = client().on('stream.changed', ({ streamId }) => {
      if (streamId === libraryStream) reload();
    });
    return () => {
      isMounted.current = false;
      off();
    };
  }, [reload]);

  const showSaved = useCallback(
    (saved: ChecklistTemplate) => {
      asked.current++;
      setTemplates((old) => [...(old ?? []).filter((t) => t.id !== saved.id), saved].sort(byName));
      reload();
    },
    [reload],
  );
  const showRemaining = useCallback((remaining: ChecklistTemplate[]) => {
    asked.current++;
    setTemplates(remaining);
  }, []);

  return { templates, error, isLoading: templates === null && error === null, reload, showSaved, showRemaining };
}
