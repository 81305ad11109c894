// Property tests: `handle` is total (never throws, always returns a state and outputs) and a
// message it rejects leaves the data exactly as it was.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { messageWithHostileShapes as message } from './arbitraries.ts';
import { dataChanges, handle, type Output, type State } from '../core/index.ts';
import { Driver, fixtureState, NOW } from './driver.ts';

const sendsTo = (outputs: readonly Output[], conn: string) =>
  outputs.filter((o): o is Extract<Output, { type: 'send' }> => o.type === 'send' && o.conn === conn).map((o) => JSON.parse(o.text));

/** Whether `parsed` is an update by `id` of a row that `conn` cannot read (it does not exist, for an admin). */
const updatesMissingId = (state: State, conn: string, parsed: unknown): boolean => {
  if (!parsed || typeof parsed !== 'object') return false;
  const { action, collection, id } = parsed as Record<string, unknown>;
  if (action !== 'update' || id === undefined || id === null || id === '') return false;
  const text = JSON.stringify({ type: 'items', action: 'read', collection, id });
  const [, outputs] = handle(state, { type: 'message', conn, text, now: NOW });
  return sendsTo(outputs, conn).some((r) => r.status === 'error');
};

// At least 100,000 generated messages per run (counted, and checked at the end).
let generated = 0;

describe('handle is total', () => {
  after(() => assert.ok(generated >= 100_000, `only ${generated} messages were generated`));

  it('never throws and always answers with a state and outputs, for generated messages', () => {
    const base = new Driver(fixtureState()).admin('A').reader('R').state;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('A', 'R', 'X'), message), { maxLength: 8 }), (sequence) => {
        let state: State = base;
        for (const [conn, text] of sequence) {
          generated++;
          const result = handle(state, { type: 'message', conn, text, now: NOW });
          assert.ok(Array.isArray(result[1]));
          assert.ok(result[0] && typeof result[0] === 'object');
          state = result[0];
        }
        assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
      }),
      { numRuns: 15_000 },
    );
  });

  it('leaves the data unchanged when it rejects a message', () => {
    const base = new Driver(fixtureState()).admin('A').reader('R').state;
    fc.assert(
      fc.property(fc.constantFrom('A', 'R'), message, (conn, text) => {
        generated++;
        const [next, outputs] = handle(base, { type: 'message', conn, text, now: NOW });
        const replies = sendsTo(outputs, conn);
        const parsed = (() => { try { return JSON.parse(text); } catch { return undefined; } })();
        const rejected = replies.length === 0 || replies.every((r) => r.status === 'error');
        if (!rejected) return;
        // A write whose read-back (with a query) fails still stands, as in Directus; skip those.
        const readsBack = parsed && typeof parsed === 'object' && parsed.query !== undefined && parsed.action !== 'read';
        if (readsBack) return;
        // Directus commits an update before reading the row back, so an update of a missing id
        // keeps its nested creations (`author: {}` creates an author) and then answers FORBIDDEN.
        // Nothing that existed may change, though.
        if (updatesMissingId(base, conn, parsed)) {
          const changes = dataChanges(base.data, next.data) ?? [];
          assert.ok(changes.every((c) => !c.existed), `an existing row changed: ${JSON.stringify(changes)}`);
          return;
        }
        assert.equal(next.data, base.data);
      }),
      {
        numRuns: 50_000,
        // Found by a CI run (seed 994057303): an update of a missing id with a nested m2o creation.
        examples: [['A', '{"type":"items","action":"update","collection":"articles","id":13,"data":{"author":{}}}']],
      },
    );
  });

  it('survives non-message inputs: unknown connections, timers, closes', () => {
    const state = fixtureState();
    for (const input of [
      { type: 'message', conn: 'nobody', text: '{}', now: NOW },
      { type: 'timer', key: 'auth:nobody', now: NOW },
      { type: 'timer', key: 'weird', now: NOW },
      { type: 'close', conn: 'nobody', now: NOW },
      { type: 'bogus' },
    ] as const) {
      const [next, outputs] = handle(state, input as never);
      assert.equal(next, state);
      assert.deepEqual(outputs, []);
    }
  });
});
