// Runbook sources shared by the runbook tests.

/** A small valid runbook: a check step and a recovery step with a shell command. */
export const rollbackRunbook = `---
title: Roll back a release
services: [checkout-api]
incident_types: [deploy]
review_by: 2026-01-15
---

## [check] Confirm the errors started with the deploy

## [recovery] Roll back

\`\`\`sh
kubectl rollout undo deployment/checkout-api
\`\`\`
`;
