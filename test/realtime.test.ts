// Connection lifecycle decided by the core: handshake timeout, token expiry and re-auth, heartbeat,
// and the public fallback after a failed auth.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Output } from '../core/index.ts';
import { Driver, fixtureState, NOW } from './driver.ts';

const sent = (outputs: readonly Output[], conn: string) =>
  outputs.filter((o): o is Extract<Output, { type: 'send' }> => o.type === 'send' && o.conn === conn).map((o) => JSON.parse(o.text));
const closes = (outputs: readonly Output[], conn: string) => outputs.some((o) => o.type === 'close' && o.conn === conn);
const timers = (outputs: readonly Output[]) =>
  outputs.filter((o): o is Extract<Output, { type: 'timer' }> => o.type === 'timer').map((o) => [o.key, o.delay]);

describe('handshake mode', () => {
  it('asks for an auth timer on open and fails the handshake when it fires', () => {
    const d = new Driver(fixtureState({ authTimeout: 1000 }));
    assert.deepEqual(timers(d.open('C')), [['auth:C', 1000]]);
    const fired = d.input({ type: 'timer', key: 'auth:C', now: NOW + 1000 });
    assert.deepEqual(sent(fired, 'C'), [{ type: 'auth', status: 'error', error: { code: 'AUTH_FAILED', message: 'Authentication handshake failed.' } }]);
    assert.ok(closes(fired, 'C'));
    assert.equal(d.state.connections['C'], undefined);
  });

  it('answers a valid auth with ok, cancels the timer and starts the heartbeat', () => {
    const d = new Driver(fixtureState({ heartbeatPeriod: 30_000 }));
    d.open('C');
    const outputs = d.send('C', { type: 'auth', access_token: 'admin-static-token', uid: 1 });
    assert.deepEqual(sent(outputs, 'C'), [{ type: 'auth', status: 'ok', uid: 1 }]);
    assert.ok(outputs.some((o) => o.type === 'cancel-timer' && o.key === 'auth:C'));
    assert.deepEqual(timers(outputs), [['heartbeat', 30_000]]);
  });
});

describe('token expiry', () => {
  const login = (d: Driver) => {
    d.open('C');
    return d.reply('C', { type: 'auth', email: 'admin@example.com', password: 'admin' }) as { refresh_token: string };
  };

  it('sends TOKEN_EXPIRED, drops to public access, and closes with AUTH_TIMEOUT without re-auth', () => {
    const d = new Driver(fixtureState({ accessTokenTtl: 60_000, authTimeout: 5_000 }));
    login(d);
    assert.ok(d.outputs.some((o) => o.type === 'timer' && o.key === 'expire:C' && o.delay === 60_000));
    const expired = d.input({ type: 'timer', key: 'expire:C', now: NOW + 60_000 });
    assert.deepEqual(sent(expired, 'C'), [{ type: 'auth', status: 'error', error: { code: 'TOKEN_EXPIRED', message: 'Token expired.' } }]);
    // Public access from now on, never unchecked access.
    const denied = d.reply('C', { type: 'items', collection: 'authors', action: 'read', uid: 'r' }) as { error: { code: string } };
    assert.equal(denied.error.code, 'FORBIDDEN');
    const timeout = d.input({ type: 'timer', key: 'auth:C', now: NOW + 65_000 });
    assert.deepEqual(sent(timeout, 'C'), [{ type: 'auth', status: 'error', error: { code: 'AUTH_TIMEOUT', message: 'Authentication timed out.' } }]);
    assert.ok(closes(timeout, 'C'));
  });

  it('keeps the connection when the client re-authenticates in time', () => {
    const d = new Driver(fixtureState({ accessTokenTtl: 60_000 }));
    const { refresh_token } = login(d);
    d.input({ type: 'timer', key: 'expire:C', now: NOW + 60_000 });
    const reauth = d.input({ type: 'message', conn: 'C', text: JSON.stringify({ type: 'auth', refresh_token }), now: NOW + 61_000 });
    assert.equal(sent(reauth, 'C')[0].status, 'ok');
    const later = d.input({ type: 'timer', key: 'auth:C', now: NOW + 70_000 });
    assert.deepEqual(later, []);
    assert.equal(d.state.connections['C']?.accountability.admin, true);
  });

  it('does not accept an expired issued token', () => {
    const d = new Driver(fixtureState({ accessTokenTtl: 1_000 }));
    // An access token (a JWT) as a login hands it out; over WebSocket only REST shows it.
    const login = d.input({ type: 'request', id: 'l', method: 'POST', path: '/auth/login', query: '', headers: { 'content-type': 'application/json' }, body: '{"email":"admin@example.com","password":"admin"}', now: NOW });
    const token: string = JSON.parse((login[0] as Extract<Output, { type: 'respond' }>).body).data.access_token;
    assert.deepEqual(timers(d.input({ type: 'open', conn: 'C', query: `?access_token=${token}`, now: NOW + 500 })), [['heartbeat', 30_000], ['expire:C', 500]]);
    const refused = d.input({ type: 'open', conn: 'D', query: `?access_token=${token}`, now: NOW + 2_000 });
    assert.deepEqual(refused, [{ type: 'refuse', conn: 'D', status: 401 }]);
  });
});

describe('heartbeat', () => {
  it('pings every client and closes one that stayed silent for a whole period', () => {
    const d = new Driver(fixtureState({ heartbeatPeriod: 1000 })).admin('A').admin('B');
    const first = d.input({ type: 'timer', key: 'heartbeat', now: NOW + 1000 });
    assert.deepEqual(sent(first, 'A'), [{ type: 'ping' }]);
    assert.deepEqual(sent(first, 'B'), [{ type: 'ping' }]);
    d.send('A', { type: 'pong' });
    const second = d.input({ type: 'timer', key: 'heartbeat', now: NOW + 2000 });
    assert.ok(!closes(second, 'A'));
    assert.ok(closes(second, 'B'));
    assert.deepEqual(timers(second), [['heartbeat', 1000]]);
  });

  it('counts any message as liveness, but not an auth message', () => {
    const d = new Driver(fixtureState({ heartbeatPeriod: 1000 })).admin('A').admin('B');
    d.input({ type: 'timer', key: 'heartbeat', now: NOW });
    d.send('A', { type: 'items', collection: 'articles', action: 'read', id: 1 });
    d.send('B', { type: 'auth', access_token: 'admin-static-token' });
    const next = d.input({ type: 'timer', key: 'heartbeat', now: NOW + 1000 });
    assert.ok(!closes(next, 'A'));
    assert.ok(closes(next, 'B'));
  });
});

describe('failed auth', () => {
  it('in public mode, keeps the socket and drops an admin back to public access', () => {
    const d = new Driver(fixtureState({ authMode: 'public' }));
    d.open('P');
    assert.equal((d.reply('P', { type: 'auth', access_token: 'admin-static-token' }) as { status: string }).status, 'ok');
    const failed = d.send('P', { type: 'auth', access_token: 'wrong', uid: 'x' });
    assert.equal(sent(failed, 'P')[0].error.code, 'AUTH_FAILED');
    assert.ok(!closes(failed, 'P'));
    const denied = d.reply('P', { type: 'items', collection: 'articles', action: 'read' }) as { error: { code: string } };
    assert.equal(denied.error.code, 'FORBIDDEN');
  });

  it('in handshake mode, closes the socket on a failed re-auth', () => {
    const d = new Driver(fixtureState()).admin('A');
    const failed = d.send('A', { type: 'auth', access_token: 'wrong', uid: 'x' });
    assert.deepEqual(sent(failed, 'A'), [{ type: 'auth', status: 'error', error: { code: 'AUTH_FAILED', message: 'Authentication failed.' }, uid: 'x' }]);
    assert.ok(closes(failed, 'A'));
  });
});

describe('opt-in: items leaving a subscription filter', () => {
  it('with leave:true, an update that moves an item out of the filter names it in `left`', () => {
    const d = new Driver(fixtureState()).admin('A').admin('B');
    d.reply('A', { type: 'subscribe', collection: 'articles', uid: 'l', leave: true, query: { fields: ['id'], filter: { status: { _eq: 'draft' } } } });
    d.reply('A', { type: 'subscribe', collection: 'articles', uid: 'plain', query: { fields: ['id'], filter: { status: { _eq: 'draft' } } } });
    const frames = d.frames('B', { type: 'items', collection: 'articles', action: 'update', ids: [2, 4], data: { status: 'published' } }, 'A');
    assert.deepEqual(frames, [{ type: 'subscription', event: 'update', data: [], left: [2, 4], uid: 'l' }]);
    const stays = d.frames('B', { type: 'items', collection: 'articles', action: 'update', id: 6, data: { title: 'still a draft' } }, 'A');
    assert.deepEqual(stays, [
      { type: 'subscription', event: 'update', data: [{ id: 6 }], uid: 'l' },
      { type: 'subscription', event: 'update', data: [{ id: 6 }], uid: 'plain' },
    ]);
  });
});
