// immer for the core's nested records: connections and their subscriptions, sessions, config, and the
// payloads and row versions a write builds. Rows themselves live in persistent HashMaps (store.ts):
// immer copies a whole container on every write, which at 100k rows costs milliseconds.
//
// One Immer instance of our own, so that its settings never touch an application's immer:
// - autoFreeze off. Measured with immer 11 on this machine: freezing made a one-field change of a
//   connection among 1,000 about 20x slower (≈1 ms against ≈20–55 µs), and a change of a 10-field
//   row 3–6x slower; the core's types are readonly all the way down, so a freeze would catch nothing
//   the compiler does not.
// - enableArrayMethods not enabled. It sped up a subscription lookup-and-splice inside a draft ≈2x,
//   but the core does no lookups in drafts (it filters the base array and assigns the result), and
//   the plugin is process-wide: it would change what array callbacks receive (base values instead of
//   drafts) in every other immer user of the process.
import { Immer } from 'immer';

const immer = new Immer({ autoFreeze: false });

/** immer's `produce` with the settings above. */
export const produce = immer.produce;
/** A draft to change step by step (for recipes that may stop with a Failure); `finishDraft` ends it. */
export const createDraft = immer.createDraft.bind(immer);
export const finishDraft = immer.finishDraft.bind(immer);
export { castDraft, type Draft } from 'immer';
