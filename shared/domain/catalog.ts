// The service catalog: each service's tier, owner team (from the people directory), recovery
// objectives, what it depends on, and the runbooks and evidence checklists kept for it. Kept in the
// library stream, so every replica can answer "what else breaks, and whom do I call" offline.
// Also the graph questions asked of it: the blast radius of a service (everything that depends on
// it, directly or through others) and the dependency cycles a catalog must not have.
// Each part lives in its own module; this one gathers them, so importers name one module.
export * from './catalog-service';
export * from './catalog-graph';
export * from './catalog-text';
export * from './catalog-requests';
export { fold } from './common';
