// Runs a user's action (a call to the engine) with a busy flag and the engine's error message kept
// for display, since that message says what to fix.
import { useCallback, useState } from 'react';

/** What a failed call says, for display. */
export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function useAction() {
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  /** Resolves true when the action succeeded; on failure the message is in `error`. */
  const run = async (action: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (failure) {
      setError(messageOf(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };
  // Stable, so an effect that clears the message can list it without running on every render.
  const clearError = useCallback(() => setError(null), []);
  return { error, isBusy, run, clearError };
}
