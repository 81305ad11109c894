// The differential tester's comparison: what counts as the same answer from Directus and standin.
// The frames below are the ones Directus 12.4 sent (tools/differential/probe.ts, `content` fixture).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { comparable, same } from '../tools/differential/compare.ts';

const init = { type: 'subscription', event: 'init', uid: 's1' };
const event = { type: 'subscription', event: 'create', data: [{ id: '<UUID>', title: 'X' }], uid: 's1' };
const reply = { type: 'items', data: { id: '<UUID>' }, uid: 'w1' };
const ws = (...frames: unknown[]) => [{ call: -1, kind: 'ws', conn: 'admin', frames }];

describe('differential comparison', () => {
  it('a write\'s reply and the events it fires may interleave either way (Directus races them)', () => {
    // Directus sent the reply first when the subscription's read was the longer one, the event first otherwise.
    assert.ok(same(comparable(ws(init, reply, event)), comparable(ws(init, event, reply))));
  });

  it('keeps the order within one uid\'s frames', () => {
    const update = { ...event, event: 'update' };
    assert.ok(!same(comparable(ws(init, event, update)), comparable(ws(init, update, event))));
    assert.ok(!same(comparable(ws(reply, init)), comparable(ws(reply, { ...init, uid: 's2' }))));
  });

  it('against Directus on Postgres, back-to-back events of one subscription compare in any order (its pool races their reads)', () => {
    // catalog seed 9003 case 209: a create with a nested m2o parent; Directus on Postgres sent 6 then 7 or 7 then 6.
    const created = (id: number) => ({ type: 'subscription', event: 'create', data: [{ id }], uid: 's1' });
    assert.ok(same(comparable(ws(init, created(6), created(7)), { eventsUnordered: true }), comparable(ws(init, created(7), created(6)), { eventsUnordered: true })));
    assert.ok(!same(comparable(ws(init, created(6), created(7))), comparable(ws(init, created(7), created(6)))));
    // The init still comes first, and the unsubscribe last: only the run of events is unordered.
    assert.ok(!same(comparable(ws(init, created(6)), { eventsUnordered: true }), comparable(ws(created(6), init), { eventsUnordered: true })));
  });

  it('frames without a uid keep their order per kind: items replies apart from subscription frames', () => {
    const bare = (f: object) => Object.fromEntries(Object.entries(f).filter(([k]) => k !== 'uid'));
    assert.ok(same(comparable(ws(bare(init), bare(reply), bare(event))), comparable(ws(bare(init), bare(event), bare(reply)))));
    assert.ok(!same(comparable(ws(bare(event), bare(init))), comparable(ws(bare(init), bare(event)))));
  });

  it('rows keyed by uuids each server minted compare in any order among themselves, in their places', () => {
    const rest = (data: unknown) => [{ call: 0, kind: 'rest', status: 200, body: { data } }];
    const a = { id: '<UUID>', body: 'a' };
    const b = { id: '<UUID>', body: 'b' };
    const known = { id: '00000001-b000-4000-8000-000000000000', body: 'k' };
    assert.ok(same(comparable(rest([a, b])), comparable(rest([b, a]))));
    assert.ok(same(comparable(rest([known, a, b])), comparable(rest([known, b, a]))));
    assert.ok(!same(comparable(rest([known, a, b])), comparable(rest([a, known, b]))));
    assert.ok(!same(comparable(rest([a, b])), comparable(rest([a, a]))));
  });
});
