// The texts the trust seed lays down (./trust-seed.ts), for the test to find them on screen.
export const seeded = {
  title: 'Payments API timing out',
  unsignedText: 'Saw 502s at the edge before the upgrade',
  guestText: 'Bridge is on channel 4',
  signedText: 'Declared from the runbook',
};
