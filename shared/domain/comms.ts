// Stakeholder communications: who hears about an incident (audiences), what an update says (templates
// with placeholders), how often (cadence per severity and audience), what must not reach executives
// or customers (lint), who approves, and how a published update is copied out. Pure rules and text:
// the engine, the offline outbox and the composer all ask this module.
// Each part lives in its own module; this one gathers them, so importers name one module.
export * from './comms-update';
export * from './comms-templates';
export * from './comms-cadence';
export * from './comms-lint';
export * from './comms-approval';
export * from './comms-copy';
