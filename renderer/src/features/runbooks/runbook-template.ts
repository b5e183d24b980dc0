// The text a new runbook starts from: every front matter key filled in with an example, and one
// step of each type, so the format is learnt by editing it.
import { format } from 'date-fns';

/** A review date a year after `now` (YYYY-MM-DD). */
const nextYear = (now: number) => {
  const date = new Date(now);
  date.setFullYear(date.getFullYear() + 1);
  return format(date, 'yyyy-MM-dd');
};

export function newRunbookTemplate(now: number): string {
  return `---
title: Restart the checkout API
# id: restart-checkout-api  (optional, made from the title)
services: [checkout-api]
incident_types: [outage, degradation]
tags: [kubernetes]
owner: Checkout team (#checkout-oncall)
review_by: ${nextYear(now)}
---

When to use this runbook, what it assumes, and when not
to use it. Steps are list items or headings that start
with [check], [command], [decision] or [recovery].

1. [check] Confirm the pods are failing

   Look at the error rate on the checkout dashboard and
   at the restarts of the pods.

2. [command] Capture evidence before changing anything

   \`\`\`sh
   kubectl -n checkout describe pods -l app=checkout-api \\
     > checkout-api-pods.txt
   \`\`\`

3. [decision] Is a restart enough?

   - yes: the pods are stuck but the release is good;
     go to step 4
   - no: the release itself is bad; stop and follow the
     release rollback runbook

4. [recovery] Restart the deployment

   \`\`\`sh
   kubectl -n checkout rollout restart deploy/checkout-api
   kubectl -n checkout rollout status deploy/checkout-api
   \`\`\`
`;
}
