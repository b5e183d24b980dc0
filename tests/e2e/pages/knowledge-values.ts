// The texts of the split war room laid down by ./knowledge-seed (kept apart so browser tests import no engine code).
export const knowledgeSeed = {
  title: 'Orders database down',
  entries: {
    errors: 'Checkout errors at 40 %, orders-db primary slow',
    lag: 'db-2 replica lag 40 s and climbing',
    paged: 'Paged the database team',
    pings: 'Primary answers pings again',
    failover: 'Fail over orders-db to the standby',
    restart: 'Restart the primary instead of failing over',
    back: 'Back in the room: the hub had dropped my laptop',
  },
};
