// An update batch (WebSocket `items` update with a list, REST PATCH with a list) runs one updateOne
// per item inside one transaction, and Directus emits each updateOne's events as it returns: when a
// later item fails, the whole batch is undone but subscribers still get the events of the items
// before it, read after the rollback (the rows as they were). A create batch collects its events
// until it commits, so a failed one sends none. Every expected frame is what Directus 12.4 sent for
// the same requests (tools/differential/probe.ts on the registry fixture).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Output } from '../core/index.ts';
import { driver, rest } from './differential-driver.ts';
import type { Driver } from './driver.ts';

const P1 = 'e0e0e0e0-0000-4000-9000-000000000001';
const P2 = 'e0e0e0e0-0000-4000-9000-000000000002';
const P3 = 'e0e0e0e0-0000-4000-9000-000000000003';

/** The frames `conn` received from output number `from` on. */
const receivedSince = (d: Driver, conn: string, from: number): unknown[] =>
  d.outputs.slice(from).filter((o): o is Extract<Output, { type: 'send' }> => o.type === 'send' && o.conn === conn).map((o) => JSON.parse(o.text));

const subscribed = () => {
  const d = driver('registry');
  d.frames('R', { type: 'subscribe', collection: 'people', uid: 's1', query: { fields: ['id', 'name', 'city'] } });
  d.frames('R', { type: 'subscribe', collection: 'cities', uid: 's2', query: { fields: ['id', 'name'] } });
  return d;
};

const ben = { type: 'subscription', event: 'update', data: [{ id: P2, name: 'Ben', city: 3 }], uid: 's1' };
const cy = { type: 'subscription', event: 'update', data: [{ id: P3, name: 'Cy', city: null }], uid: 's1' };

describe('a failed update batch', () => {
  it('over REST: the items before the failing one send their events with the rows as they were; a nested create sends nothing', () => {
    const d = subscribed();
    const from = d.outputs.length;
    assert.deepEqual(rest(d, 'PATCH', '/items/people?fields=id', 'admin-token', [{ id: P2, name: 'B2' }, { id: P3, name: 'C2', city: { name: 'New' } }, { id: P1, mentor: 'zz' }]),
      { status: 400, body: { errors: [{ message: 'Invalid foreign key.', extensions: { collection: null, field: null, value: null, code: 'INVALID_FOREIGN_KEY' } }] } });
    assert.deepEqual(receivedSince(d, 'R', from), [ben, cy]);
    assert.deepEqual(rest(d, 'GET', '/items/cities?aggregate[count]=*', 'admin-token'), { status: 200, body: { data: [{ count: 5 }] } });
  });

  it('over WebSocket: whatever fails the item (no key, a key of the wrong type, null), nested updates included', () => {
    const d = subscribed();
    let from = d.outputs.length;
    assert.deepEqual(d.frames('A', { type: 'items', collection: 'people', action: 'update', data: [{ id: P2, name: 'B3' }, { name: 'nokey' }], uid: 'w1' }),
      [{ type: 'items', status: 'error', error: { code: 'INVALID_PAYLOAD', message: 'Invalid payload. Item in update misses primary key.' }, uid: 'w1' }]);
    assert.deepEqual(receivedSince(d, 'R', from), [ben]);

    from = d.outputs.length;
    assert.deepEqual(d.frames('A', { type: 'items', collection: 'people', action: 'update', data: [{ id: P2, name: 'B4' }, { id: P3, city: { id: 2, name: 'Renamed' } }, { id: 'not-a-uuid', name: 'x' }], uid: 'w2' }),
      [{ type: 'items', status: 'error', error: { code: 'FORBIDDEN', message: "You don't have permission to access this." }, uid: 'w2' }]);
    // Each item's own event, then its nested ones.
    assert.deepEqual(receivedSince(d, 'R', from), [ben, cy, { type: 'subscription', event: 'update', data: [{ id: 2, name: 'Hamburg' }], uid: 's2' }]);

    from = d.outputs.length;
    assert.deepEqual(d.frames('A', { type: 'items', collection: 'people', action: 'update', data: [{ id: P2, name: 'B5' }, null], uid: 'w3' }), []);
    assert.deepEqual(receivedSince(d, 'R', from), [ben]);
  });

  it('a failed create batch sends no event', () => {
    const d = subscribed();
    const from = d.outputs.length;
    assert.deepEqual(d.frames('A', { type: 'items', collection: 'people', action: 'create', data: [{ name: 'N1' }, { name: 'N2', mentor: 'zz' }], uid: 'w4' }),
      [{ type: 'items', status: 'error', error: { code: 'INVALID_FOREIGN_KEY', message: 'Invalid foreign key.' }, uid: 'w4' }]);
    assert.deepEqual(receivedSince(d, 'R', from), []);
  });
});

describe('a committed update batch on Postgres', () => {
  it('sends each item\'s event with the rows as they were before the batch, but the last item\'s (read after the commit)', () => {
    // Directus 12.4 on Postgres, content fixture: the same frames on each of two replays.
    const d = driver('content', 'postgres');
    const T = (n: number) => `0000000${n}-b000-4000-8000-000000000000`;
    d.frames('A', { type: 'subscribe', collection: 'block_text' });
    const from = d.outputs.length;
    const body = [{ id: T(3), body: 'We are a small team', words: 2 }, { id: T(2), words: 7 }, { id: T(1), words: 2, body: 'We are a small team', nope: 1 }];
    assert.deepEqual(rest(d, 'PATCH', '/items/block_text', 'admin-token', body), {
      status: 200,
      body: { data: [{ id: T(1), body: 'We are a small team', words: 2 }, { id: T(2), body: 'We are a small team', words: 7 }, { id: T(3), body: 'We are a small team', words: 2 }] },
    });
    assert.deepEqual(receivedSince(d, 'A', from), [
      { type: 'subscription', event: 'update', data: [{ id: T(3), body: null, words: null }] },
      { type: 'subscription', event: 'update', data: [{ id: T(2), body: 'We are a small team', words: 5 }] },
      { type: 'subscription', event: 'update', data: [{ id: T(1), body: 'We are a small team', words: 2 }] },
    ]);
  });
});
