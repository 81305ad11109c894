// A million generated messages (valid and hostile) through `handle` on an admin, a reader and an unknown
// connection: none may throw, and Object.prototype must stay clean.
import fc from 'fast-check';
import { handle, type State } from '../core/index.ts';
import { message } from '../test/arbitraries.ts';
import { Driver, fixtureState, NOW } from '../test/driver.ts';

export const benchFuzz = (total = 1_000_000, batch = 20_000) => {
  const base: State = new Driver(fixtureState()).admin('A').reader('R').state;
  let state = base;
  let threw = 0;
  let replied = 0;
  const started = performance.now();
  for (let done = 0; done < total; done += batch) {
    const conns = ['A', 'R', 'A', 'R', 'X'];
    fc.sample(message, { numRuns: batch, seed: done }).forEach((text, i) => {
      try {
        const [next, outputs] = handle(state, { type: 'message', conn: conns[i % 5]!, text, now: NOW });
        // A failed re-auth closes a connection: reopen it, so every message reaches a live one.
        state = next.connections['A'] && next.connections['R'] ? next : { ...next, connections: base.connections };
        if (outputs.length > 0) replied++;
      } catch {
        threw++;
      }
    });
    // Keep the data small and the run representative: start each batch from the fixture again.
    state = base;
  }
  const seconds = (performance.now() - started) / 1000;
  const polluted = Object.keys(Object.prototype).length > 0 || ({} as Record<string, unknown>)['polluted'] !== undefined;
  return { messages: total, seconds, per_message_us: (seconds * 1e6) / total, threw, replied, polluted };
};

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(benchFuzz()));
