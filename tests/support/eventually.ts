// Waiting in tests for work a process or engine does in the background (the outbox, sync).

/** Waits until `check` passes, retrying every 40 ms; after `timeoutMs` its last failure is thrown. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  }
}
