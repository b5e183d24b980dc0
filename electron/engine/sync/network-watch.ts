// Notices a network change (Wi-Fi to tethering, a VPN up or down, a cable plugged in) by polling
// the machine's interface addresses, which is cheap: sync peers then reconnect at once instead of
// waiting out their back-off.
import { networkInterfaces } from 'node:os';

/** The machine's non-internal addresses, sorted: changes when it joins or leaves a network. */
export function networkSignature(): string {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a): a is NonNullable<typeof a> => Boolean(a && !a.internal))
    .map((a) => `${a.family}:${a.address}`)
    .sort()
    .join(',');
}

export interface NetworkWatch {
  /** Compares the network with the last one seen now (the timer calls this). */
  check(): void;
  stop(): void;
}

export function watchNetwork(options: { signature: () => string; intervalMs: number; onChange: () => void }): NetworkWatch {
  const read = () => {
    try {
      return options.signature();
    } catch {
      return null;
    }
  };
  let last = read();
  const check = () => {
    const now = read();
    if (now === null || now === last) return;
    last = now;
    options.onChange();
  };
  const timer = options.intervalMs > 0 ? setInterval(check, options.intervalMs) : null;
  timer?.unref();
  return {
    check,
    stop: () => {
      if (timer) clearInterval(timer);
    },
  };
}
