// Whether this replica's user may edit the directory (people, teams, bridges: commanders and
// admins), for every edit button on the page: disabled, with a title saying who may, when not.
import { createContext, useContext } from 'react';
import { useMayWrite } from '../../lib/use-may-write';

export interface EditGate {
  disabled?: boolean;
  title?: string;
}

export const DirectoryGate = createContext<EditGate>({});

/** The gate, computed once per page from the user's role (the rule of a person record stands for all three). */
export function useDirectoryEditGate(): EditGate {
  const verdict = useMayWrite('person', { name: '' });
  return verdict.may ? {} : { disabled: true, title: verdict.why };
}

/** The button props of an edit button on the directory page. */
export const useEditGate = (): EditGate => useContext(DirectoryGate);
