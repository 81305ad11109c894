import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver, fixtureState } from './driver.ts';

const items = (body: Record<string, unknown>) => ({ type: 'items', collection: 'articles', ...body });

describe('handle: framing', () => {
  it('answers ping with pong, echoing the uid exactly', () => {
    const d = new Driver(fixtureState()).admin();
    assert.deepEqual(d.reply('A', { type: 'ping', uid: 42 }), { type: 'pong', uid: 42 });
    assert.deepEqual(d.reply('A', { type: 'ping' }), { type: 'pong' });
  });

  it('answers invalid JSON with a server INVALID_PAYLOAD and no uid', () => {
    const d = new Driver(fixtureState()).admin();
    assert.deepEqual(d.reply('A', '{not json'), {
      type: 'server', status: 'error', error: { code: 'INVALID_PAYLOAD', message: 'Unable to parse the incoming message.' },
    });
  });

  it('rejects envelopes without a string type, and ignores unknown types', () => {
    const d = new Driver(fixtureState()).admin();
    const reply = d.reply('A', [1, 2]) as { type: string; error: { code: string } };
    assert.equal(reply.type, 'server');
    assert.equal(reply.error.code, 'INVALID_PAYLOAD');
    assert.deepEqual(d.frames('A', { type: 'foo', uid: 'x' }), []);
    assert.deepEqual(d.frames('A', { type: 'pong' }), []);
  });

  it('answers a malformed items message with INVALID_PAYLOAD carrying the uid', () => {
    const d = new Driver(fixtureState()).admin();
    const reply = d.reply('A', items({ action: 'upsert', uid: 'u1' })) as Record<string, any>;
    assert.equal(reply['type'], 'items');
    assert.equal(reply['error'].code, 'INVALID_PAYLOAD');
    assert.equal(reply['uid'], 'u1');
  });

  it('keeps system collections out of items', () => {
    const d = new Driver(fixtureState()).admin();
    assert.deepEqual(d.reply('A', { type: 'items', action: 'read', collection: 'directus_users', uid: 's' }), {
      type: 'items', status: 'error',
      error: { code: 'INVALID_COLLECTION', message: 'Cannot trigger an action on a system collection.' }, uid: 's',
    });
  });
});

describe('handle: items', () => {
  it('reads one item by id, a string id too, and FORBIDDEN for a missing one', () => {
    const d = new Driver(fixtureState()).admin();
    const one = d.reply('A', items({ action: 'read', id: '3', query: { fields: ['id', 'title', 'author.name'] }, uid: 'r' }));
    assert.deepEqual(one, { type: 'items', data: { id: 3, title: 'Ümlaut Überschrift', author: { name: 'Zoë Ünicode' } }, uid: 'r' });
    assert.deepEqual(d.reply('A', items({ action: 'read', id: 999, uid: 'm' })), {
      type: 'items', status: 'error', error: { code: 'FORBIDDEN', message: "You don't have permission to access this." }, uid: 'm',
    });
  });

  it('reads by ids in primary-key order, leaving out missing ids', () => {
    const d = new Driver(fixtureState()).admin();
    assert.deepEqual(d.reply('A', items({ action: 'read', ids: [3, 999, 1], query: { fields: ['id'] } })), {
      type: 'items', data: [{ id: 1 }, { id: 3 }],
    });
  });

  it('creates with defaults and the next auto-increment key, and never reuses a key', () => {
    const d = new Driver(fixtureState()).admin();
    assert.deepEqual(d.reply('A', items({ action: 'create', data: { title: 'New' }, uid: 'c' })), {
      type: 'items',
      data: { id: 13, title: 'New', body: null, status: 'draft', rating: null, price: null, published_at: null, tags: null, author: null },
      uid: 'c',
    });
    d.reply('A', items({ action: 'delete', id: 13 }));
    assert.deepEqual(d.reply('A', items({ action: 'create', data: [{ title: 'a' }, { title: 'b' }], query: { fields: ['id'] } })), {
      type: 'items', data: [{ id: 14 }, { id: 15 }],
    });
  });

  it('rejects a duplicate key and a dangling foreign key without changing the state', () => {
    const d = new Driver(fixtureState()).admin();
    const before = d.state;
    assert.deepEqual(d.reply('A', items({ action: 'create', data: { id: 1 }, uid: 'd' })), {
      type: 'items', status: 'error',
      error: { code: 'RECORD_NOT_UNIQUE', message: 'Value "1" for field "id" in collection "articles" has to be unique.' }, uid: 'd',
    });
    assert.deepEqual(d.reply('A', items({ action: 'create', data: { author: 999 } })), {
      type: 'items', status: 'error', error: { code: 'INVALID_FOREIGN_KEY', message: 'Invalid foreign key.' },
    });
    assert.equal(d.state, before);
  });

  it('updates by id ignoring the query, and by query re-reading through the filter', () => {
    const d = new Driver(fixtureState()).admin();
    const byId = d.reply('A', items({ action: 'update', id: 2, data: { rating: 4 }, query: { fields: ['id'] } })) as any;
    assert.equal(byId.data.title, 'hello again');
    assert.equal(byId.data.rating, 4);
    assert.deepEqual(
      d.reply('A', items({ action: 'update', data: { status: 'published' }, query: { filter: { status: { _eq: 'draft' } }, fields: ['id'] } })),
      { type: 'items', data: [] },
    );
    const published = d.reply('A', items({ action: 'read', query: { filter: { status: { _eq: 'draft' } }, fields: ['id'] } }));
    assert.deepEqual(published, { type: 'items', data: [] });
  });

  it('gives no reply at all for an update without data', () => {
    const d = new Driver(fixtureState()).admin();
    assert.deepEqual(d.frames('A', items({ action: 'update', id: 1, uid: 'x' })), []);
  });

  it('deletes echo what was sent and set referencing foreign keys to null', () => {
    const d = new Driver(fixtureState()).admin();
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'authors', action: 'delete', id: '1' }), { type: 'items', data: '1' });
    assert.deepEqual(d.reply('A', items({ action: 'read', id: 1, query: { fields: ['author'] } })), { type: 'items', data: { author: null } });
    assert.deepEqual(d.reply('A', items({ action: 'delete', ids: [2, 999] })), { type: 'items', data: [2, 999] });
    const error = d.reply('A', items({ action: 'delete', id: 0, uid: 'z' })) as any;
    assert.equal(error.error.code, 'INVALID_PAYLOAD');
    assert.equal(error.uid, 'z');
  });

  it('reads a singleton as an object, with meta when asked', () => {
    const d = new Driver(fixtureState()).admin();
    assert.deepEqual(d.reply('A', { type: 'items', collection: 'settings', action: 'read', query: { meta: '*' } }), {
      type: 'items', data: { id: 1, site_name: 'Oracle Site' }, meta: { total_count: 1, filter_count: 1 },
    });
  });
});

describe('handle: subscriptions', () => {
  it('pushes create, update and delete events to a subscriber on another connection', () => {
    const d = new Driver(fixtureState()).admin('A').admin('B');
    const init = d.reply('A', { type: 'subscribe', collection: 'authors', uid: 1, query: { fields: ['id', 'name'], filter: { name: { _contains: 'new' } } } });
    assert.deepEqual(init, { type: 'subscription', event: 'init', data: [], uid: '1' });
    assert.deepEqual(d.frames('B', { type: 'items', collection: 'authors', action: 'create', data: { name: 'New one' } }, 'A'), [
      { type: 'subscription', event: 'create', data: [{ id: 4, name: 'New one' }], uid: '1' },
    ]);
    assert.deepEqual(d.frames('B', { type: 'items', collection: 'authors', action: 'update', id: 1, data: { email: null } }, 'A'), []);
    assert.deepEqual(d.frames('B', { type: 'items', collection: 'authors', action: 'delete', ids: [4] }, 'A'), [
      { type: 'subscription', event: 'delete', data: [4], uid: '1' },
    ]);
    assert.deepEqual(d.reply('A', { type: 'unsubscribe', uid: 1 }), { type: 'subscription', event: 'unsubscribe', uid: 1 });
    assert.deepEqual(d.frames('B', { type: 'items', collection: 'authors', action: 'create', data: { name: 'new again' } }, 'A'), []);
  });

  it('drops subscriptions when their connection closes', () => {
    const d = new Driver(fixtureState()).admin('A').admin('B');
    d.reply('A', { type: 'subscribe', collection: 'articles', event: 'create', uid: 's' });
    d.input({ type: 'close', conn: 'A', now: 0 });
    assert.equal(d.state.connections['A'], undefined);
    const outputs = d.send('B', { type: 'items', collection: 'articles', action: 'create', data: {} });
    assert.equal(outputs.filter((o) => o.type === 'send' && o.conn === 'A').length, 0);
  });
});

describe('handle: connections', () => {
  it('in handshake mode, answers a first non-auth message with a handshake failure and closes', () => {
    const d = new Driver(fixtureState());
    d.open('C');
    const outputs = d.send('C', { type: 'ping' });
    assert.deepEqual(outputs.filter((o) => o.type === 'send').map((o) => JSON.parse((o as any).text)), [
      { type: 'auth', status: 'error', error: { code: 'AUTH_FAILED', message: 'Authentication handshake failed.' } },
    ]);
    assert.ok(outputs.some((o) => o.type === 'close' && o.conn === 'C'));
  });

  it('authenticates with email and password and returns a refresh token that rotates', () => {
    const d = new Driver(fixtureState());
    d.open('C');
    const ok = d.reply('C', { type: 'auth', email: 'admin@example.com', password: 'admin', uid: 'l' }) as any;
    assert.equal(ok.status, 'ok');
    assert.equal(typeof ok.refresh_token, 'string');
    d.open('D');
    const again = d.reply('D', { type: 'auth', refresh_token: ok.refresh_token }) as any;
    assert.equal(again.status, 'ok');
    assert.notEqual(again.refresh_token, ok.refresh_token);
    d.open('E');
    assert.equal((d.reply('E', { type: 'auth', refresh_token: ok.refresh_token }) as any).status, 'error');
  });

  it('refuses a bad URL token with 401 in every mode', () => {
    for (const authMode of ['public', 'handshake', 'strict'] as const) {
      const d = new Driver(fixtureState({ authMode }));
      assert.deepEqual(d.open('X', '?access_token=nope'), [{ type: 'refuse', conn: 'X', status: 401 }]);
    }
  });
});
