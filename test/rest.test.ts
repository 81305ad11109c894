// The REST API through `handle`: query strings, JWTs, replies, and the WebSocket events REST writes cause.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { handle, type Output, type State } from '../core/index.ts';
import { isDirectusJwt, signAccessToken, signJwt, verifyJwt } from '../core/access/jwt.ts';
import { parseQueryString } from '../core/rest/query-string.ts';
import { Driver, fixtureState, NOW } from './driver.ts';

const ORACLE_SECRET = 'oracle-secret-00000000000000000000000000';
const ADMIN = { id: '854940e4-2ffa-47e3-bf8b-f7b24968423c', role: 'f9c12e4a-fd79-466c-84b7-7f272f8a1a27' };
/** The `long-lived-jwt` of the REST corpus: admin claims, exp 2100, signed with the recording's SECRET. */
const RECORDED_JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6Ijg1NDk0MGU0LTJmZmEtNDdlMy1iZjhiLWY3YjI0OTY4NDIzYyIsInJvbGUiOiJmOWMxMmU0YS1mZDc5LTQ2NmMtODRiNy03ZjI3MmY4YTFhMjciLCJhcHBfYWNjZXNzIjp0cnVlLCJhZG1pbl9hY2Nlc3MiOnRydWUsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjo0MTAyNDQ0ODAwLCJpc3MiOiJkaXJlY3R1cyJ9.aHK0bCFTuRmM_Bvv8ErJdtBLP3dq-tipGIlAoWeYumQ';

type Respond = Extract<Output, { type: 'respond' }>;

interface Sent {
  readonly status: number;
  readonly headers: Respond['headers'];
  readonly body: any;
  readonly outputs: readonly Output[];
}

let ids = 0;
/** Sends one request through `handle`, keeps the new state in the driver, returns the parsed reply. */
const http = (d: Driver, method: string, url: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; now?: number } = {}): Sent => {
  const [path, query = ''] = url.split('?') as [string, string?];
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const id = `r${++ids}`;
  const outputs = d.input({
    type: 'request', id, method, path, query, headers, now: options.now ?? NOW,
    ...(options.body === undefined ? {} : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  const reply = outputs.find((o): o is Respond => o.type === 'respond' && o.id === id)!;
  return { status: reply.status, headers: reply.headers, body: reply.body === '' ? undefined : JSON.parse(reply.body), outputs };
};

const admin = { token: 'admin-static-token' };
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
const framesTo = (outputs: readonly Output[], conn: string) =>
  outputs.filter((o): o is Extract<Output, { type: 'send' }> => o.type === 'send' && o.conn === conn).map((o) => JSON.parse(o.text));

describe('REST query strings (qs, as Directus parses them)', () => {
  it('reads bracket syntax, arrays, encoded brackets and + as a space', () => {
    assert.deepEqual(parseQueryString('filter[status][_eq]=draft&fields=id,title'), { filter: { status: { _eq: 'draft' } }, fields: 'id,title' });
    assert.deepEqual(parseQueryString('aggregate[count]=*&groupBy[]=status&groupBy[]=author'), { aggregate: { count: '*' }, groupBy: ['status', 'author'] });
    assert.deepEqual(parseQueryString('deep[articles][_limit]=1&deep[articles][_sort]=-id'), { deep: { articles: { _limit: '1', _sort: '-id' } } });
    assert.deepEqual(parseQueryString('filter[status][_in][0]=review&filter[status][_in][1]=archived'), { filter: { status: { _in: ['review', 'archived'] } } });
    assert.deepEqual(parseQueryString('filter%5Bstatus%5D%5B_eq%5D=review&search=hello+again'), { filter: { status: { _eq: 'review' } }, search: 'hello again' });
  });

  it('keeps repeats as arrays, mixes a JSON string with brackets into a list, drops __proto__, stops at depth 10', () => {
    assert.deepEqual(parseQueryString('limit=1&limit=2'), { limit: ['1', '2'] });
    assert.deepEqual(parseQueryString('filter={"a":1}&filter[b]=2'), { filter: ['{"a":1}', { b: '2' }] });
    assert.deepEqual(parseQueryString('__proto__[x]=1&ok=1'), { ok: '1' });
    assert.deepEqual(parseQueryString('a[b][c][d][e][f][g][h][i][j][k][l]=1'),
      { a: { b: { c: { d: { e: { f: { g: { h: { i: { j: { k: { '[l]': '1' } } } } } } } } } } } });
  });
});

describe('JWT access tokens', () => {
  it('signs exactly as Directus (jsonwebtoken) does: the recorded token, byte for byte', () => {
    assert.equal(signJwt({ ...ADMIN, app_access: true, admin_access: true, iat: 1700000000, exp: 4102444800, iss: 'directus' }, ORACLE_SECRET), RECORDED_JWT);
    assert.equal(signAccessToken({ ...ADMIN, app_access: true, admin_access: true }, ORACLE_SECRET, 1700000000_000, (4102444800 - 1700000000) * 1000), RECORDED_JWT);
  });

  it('verifies signature, then expiry (the clock is the caller\'s), then issuer', () => {
    const token = signAccessToken({ ...ADMIN, app_access: true, admin_access: true }, 's', NOW, 60_000);
    assert.deepEqual(verifyJwt(token, 's', NOW + 59_999), { ok: true, claims: { ...ADMIN, app_access: true, admin_access: true, iat: NOW / 1000, exp: NOW / 1000 + 60, iss: 'directus' } });
    assert.deepEqual(verifyJwt(token, 's', NOW + 60_000), { ok: false, reason: 'expired' });
    assert.deepEqual(verifyJwt(token, 'other', NOW), { ok: false, reason: 'invalid' });
    assert.deepEqual(verifyJwt(token, 'other', NOW + 120_000), { ok: false, reason: 'invalid' });
    assert.deepEqual(verifyJwt(signJwt({ iss: 'someone-else' }, 's'), 's', NOW), { ok: false, reason: 'invalid' });
    const [, payload] = token.split('.');
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    assert.deepEqual(verifyJwt(unsigned, 's', NOW), { ok: false, reason: 'invalid' });
    assert.deepEqual(verifyJwt('not.a.jwt', 's', NOW), { ok: false, reason: 'invalid' });
  });

  it('recognises a Directus JWT by its unverified issuer only', () => {
    assert.equal(isDirectusJwt(RECORDED_JWT), true);
    assert.equal(isDirectusJwt(signJwt({ iss: 'someone-else' }, 's')), false);
    assert.equal(isDirectusJwt('admin-static-token'), false);
  });
});

describe('REST through handle: replies', () => {
  it('reads with bracket filters, meta before data, aggregate and groupBy', () => {
    const d = new Driver(fixtureState());
    assert.deepEqual(http(d, 'GET', '/items/articles?filter[status][_eq]=draft&fields=id&meta=total_count,filter_count', admin).body,
      { meta: { total_count: 12, filter_count: 4 }, data: [{ id: 2 }, { id: 4 }, { id: 6 }, { id: 11 }] });
    assert.deepEqual(http(d, 'GET', '/items/articles?aggregate[count]=*&groupBy[]=status&sort=status', admin).body,
      { data: [{ status: 'archived', count: 1 }, { status: 'draft', count: 4 }, { status: 'published', count: 6 }, { status: 'review', count: 1 }] });
    assert.deepEqual(http(d, 'GET', '/items/authors?fields=id,articles.id&deep[articles][_limit]=1&deep[articles][_sort]=-id', admin).body,
      { data: [{ id: 1, articles: [{ id: 12 }] }, { id: 2, articles: [{ id: 10 }] }, { id: 3, articles: [{ id: 11 }] }] });
  });

  it('answers success with no-cache headers and a weak ETag, errors with Directus\'s error body', () => {
    const d = new Driver(fixtureState());
    const one = http(d, 'GET', '/items/articles/1?fields=id', admin);
    assert.equal(one.status, 200);
    assert.deepEqual(one.headers, {
      'x-powered-by': 'Directus', 'cache-control': 'no-cache', vary: 'Origin, Cache-Control',
      'content-type': 'application/json; charset=utf-8', etag: 'W/"11-mhIzk+6CZQ0xNbkxdoJWFe0RFnY"', // Express's etag() of the body
    });
    const missing = http(d, 'GET', '/items/nope', admin);
    assert.equal(missing.status, 403);
    const message = 'You don\'t have permission to access collection "nope" or it does not exist. Queried in root.';
    assert.deepEqual(missing.body, { errors: [{ message, extensions: { reason: message, code: 'FORBIDDEN' } }] });
    assert.deepEqual(http(d, 'GET', '/items/articles?limit=abc', admin).body,
      { errors: [{ message: 'Invalid query. "limit" must be a number.', extensions: { reason: '"limit" must be a number', code: 'INVALID_QUERY' } }] });
    assert.deepEqual(http(d, 'PUT', '/items/articles/1', admin).body,
      { errors: [{ message: 'Route /items/articles/1 doesn\'t exist.', extensions: { path: '/items/articles/1', code: 'ROUTE_NOT_FOUND' } }] });
  });

  it('creates, updates and deletes: read back with the query, 204 when there is nothing to show', () => {
    const d = new Driver(fixtureState());
    assert.deepEqual(http(d, 'POST', '/items/articles?fields=id,title', { ...admin, body: [{ title: 'A' }, { title: 'B' }] }).body, { data: [{ id: 13, title: 'A' }, { id: 14, title: 'B' }] });
    assert.deepEqual(http(d, 'PATCH', '/items/articles/13?fields=id,status', { ...admin, body: { status: 'review' } }).body, { data: { id: 13, status: 'review' } });
    assert.deepEqual(http(d, 'PATCH', '/items/articles?fields=id,rating', { ...admin, body: { query: { filter: { status: { _eq: 'review' } } }, data: { rating: 2 } } }).body,
      { data: [{ id: 9, rating: 2 }, { id: 13, rating: 2 }] });
    assert.equal(http(d, 'PATCH', '/items/articles/999', { ...admin, body: { title: 'x' } }).status, 204);
    assert.equal(http(d, 'PATCH', '/items/articles/abc', { ...admin, body: { title: 'x' } }).status, 403);
    const removed = http(d, 'DELETE', '/items/articles', { ...admin, body: [13, 14] });
    assert.deepEqual([removed.status, removed.body, removed.headers['content-type']], [204, undefined, undefined]);
    assert.deepEqual(http(d, 'DELETE', '/items/articles', { ...admin, body: {} }).body.errors[0].extensions,
      { reason: '"value" must contain at least one of [query, keys]', code: 'INVALID_PAYLOAD' });
    assert.deepEqual(http(d, 'POST', '/items/tags_str', { ...admin, body: { label: 'no code' } }).body.errors[0],
      { message: 'Validation failed for field "code". Value is required.', extensions: { field: 'code', path: [], type: 'required', code: 'FAILED_VALIDATION' } });
  });

  it('ignores a body that is not application/json and refuses JSON that is not an object or array', () => {
    const d = new Driver(fixtureState());
    assert.deepEqual(http(d, 'POST', '/items/articles?fields=id,title', { ...admin, body: '{"title":"x"}', headers: { 'content-type': 'text/plain' } }).body, { data: { id: 13, title: null } });
    assert.equal(http(d, 'POST', '/items/articles', { ...admin, body: '123' }).body.errors[0].extensions.code, 'INVALID_PAYLOAD');
  });
});

describe('REST through handle: tokens', () => {
  it('logs in (json mode) with a JWT signed with the configured secret, accepted by REST and WebSocket', () => {
    const d = new Driver(fixtureState({ secret: 'test-secret', accessTokenTtl: 60_000 }));
    const login = http(d, 'POST', '/auth/login', { body: { email: 'Admin@Example.com', password: 'admin' } });
    assert.deepEqual(Object.keys(login.body.data), ['expires', 'refresh_token', 'access_token']);
    assert.equal(login.body.data.expires, 60_000);
    const jwt: string = login.body.data.access_token;
    assert.deepEqual(claimsOf(jwt), { ...ADMIN, app_access: true, admin_access: true, iat: NOW / 1000, exp: NOW / 1000 + 60, iss: 'directus' });
    assert.equal(verifyJwt(jwt, 'test-secret', NOW).ok, true);
    assert.deepEqual(http(d, 'GET', '/items/articles/1?fields=id', { token: jwt }).body, { data: { id: 1 } });
    assert.deepEqual(http(d, 'GET', '/users/me?fields=email,role.name', { token: jwt }).body, { data: { email: 'admin@example.com', role: { name: 'Administrator' } } });
    // Over WebSocket: the same token authenticates, and its expiry is the JWT's `exp`.
    d.open('W');
    const outputs = d.send('W', { type: 'auth', access_token: jwt });
    assert.deepEqual(framesTo(outputs, 'W'), [{ type: 'auth', status: 'ok' }]);
    assert.ok(outputs.some((o) => o.type === 'timer' && o.key === 'expire:W' && o.delay === 60_000));
  });

  it('answers an expired JWT with TOKEN_EXPIRED, a foreign signature with INVALID_TOKEN, over REST; AUTH_FAILED over WebSocket', () => {
    const d = new Driver(fixtureState({ secret: 'test-secret' }));
    const claims = { ...ADMIN, app_access: true, admin_access: true };
    const expired = signAccessToken(claims, 'test-secret', NOW - 120_000, 60_000);
    const forged = signAccessToken(claims, 'another-secret', NOW, 60_000);
    assert.deepEqual([http(d, 'GET', '/items/articles/1', { token: expired }).status, http(d, 'GET', '/items/articles/1', { token: expired }).body.errors[0].extensions.code], [401, 'TOKEN_EXPIRED']);
    assert.deepEqual([http(d, 'GET', '/items/articles/1', { token: forged }).status, http(d, 'GET', '/items/articles/1', { token: forged }).body.errors[0].extensions.code], [403, 'INVALID_TOKEN']);
    assert.equal(http(d, 'GET', '/items/articles/1', { token: signJwt({ ...claims, iss: 'directus' }, 'test-secret') }).status, 200);
    assert.equal(http(d, 'GET', '/items/articles/1', { token: signJwt({ id: ADMIN.id, iss: 'directus' }, 'test-secret') }).body.errors[0].extensions.code, 'INVALID_TOKEN');
    d.open('W');
    assert.deepEqual(d.reply('W', { type: 'auth', access_token: expired }), { type: 'auth', status: 'error', error: { code: 'AUTH_FAILED', message: 'Authentication handshake failed.' } });
    assert.deepEqual(d.open('X', `?access_token=${forged}`), [{ type: 'refuse', conn: 'X', status: 401 }]);
  });

  it('refreshes (rotating the refresh token) and logs out; a session cookie stops working at logout', () => {
    const d = new Driver(fixtureState());
    const first = http(d, 'POST', '/auth/login', { body: { email: 'admin@example.com', password: 'admin' } }).body.data;
    const second = http(d, 'POST', '/auth/refresh', { body: { refresh_token: first.refresh_token } });
    assert.equal(second.status, 200);
    assert.equal(http(d, 'POST', '/auth/refresh', { body: { refresh_token: first.refresh_token } }).status, 401);
    assert.equal(http(d, 'POST', '/auth/logout', { body: { refresh_token: second.body.data.refresh_token } }).status, 204);
    assert.equal(http(d, 'POST', '/auth/refresh', { body: { refresh_token: second.body.data.refresh_token } }).status, 401);

    const session = http(d, 'POST', '/auth/login', { body: { email: 'reader@example.com', password: 'reader', mode: 'session' } });
    assert.deepEqual(session.body, { data: { expires: 86_400_000 } });
    const cookie = (session.headers['set-cookie'] as string[])[0]!;
    assert.match(cookie, /^directus_session_token=eyJ[^;]+; Max-Age=86400; Path=\/; Expires=Sat, 28 Nov 2026 12:00:00 GMT; HttpOnly; SameSite=Lax$/);
    const headers = { cookie: cookie.split(';')[0]! };
    assert.equal(http(d, 'GET', '/items/articles/1?fields=id', { headers }).status, 200);
    assert.equal(http(d, 'POST', '/auth/logout', { headers, body: { mode: 'session' } }).status, 204);
    const after = http(d, 'GET', '/items/articles/1?fields=id', { headers });
    assert.equal(after.status, 401);
    assert.deepEqual(after.headers['set-cookie'], ['directus_session_token=; Max-Age=86400; Path=/; Expires=Sat, 28 Nov 2026 12:00:00 GMT; HttpOnly; SameSite=Lax']);
  });
});

describe('REST writes reach WebSocket subscribers', () => {
  const subscribed = (): Driver => {
    const d = new Driver(fixtureState()).admin('A').reader('R');
    d.send('A', { type: 'subscribe', collection: 'articles', query: { fields: ['id', 'title'] }, uid: 'a' });
    d.send('R', { type: 'subscribe', collection: 'articles', item: 7, uid: 'r7' });
    return d;
  };

  it('sends create and update events read with each subscription\'s query', () => {
    const d = subscribed();
    const created = http(d, 'POST', '/items/articles?fields=id', { ...admin, body: { title: 'From REST' } });
    assert.deepEqual(created.outputs[0]!.type, 'respond');
    assert.deepEqual(framesTo(created.outputs, 'A'), [{ type: 'subscription', event: 'create', data: [{ id: 13, title: 'From REST' }], uid: 'a' }]);
    assert.deepEqual(framesTo(created.outputs, 'R'), []);
    // The key from the URL is the string "7": the item subscription (item 7, kept as a string) fires.
    const updated = http(d, 'PATCH', '/items/articles/7?fields=id', { ...admin, body: { title: 'Seven' } });
    assert.deepEqual(framesTo(updated.outputs, 'A'), [{ type: 'subscription', event: 'update', data: [{ id: 7, title: 'Seven' }], uid: 'a' }]);
    assert.equal(framesTo(updated.outputs, 'R')[0].data.title, 'Seven');
    // …but not for the number 7 in a body, as in Directus.
    assert.deepEqual(framesTo(http(d, 'PATCH', '/items/articles', { ...admin, body: { keys: [7], data: { rating: 1 } } }).outputs, 'R'), []);
  });

  it('sends delete events with the keys as given, and nothing for refused or failed writes', () => {
    const d = subscribed();
    assert.deepEqual(framesTo(http(d, 'DELETE', '/items/articles/12', admin).outputs, 'A'), [{ type: 'subscription', event: 'delete', data: ['12'], uid: 'a' }]);
    assert.deepEqual(framesTo(http(d, 'DELETE', '/items/articles', { ...admin, body: [10, 11] }).outputs, 'A'), [{ type: 'subscription', event: 'delete', data: [10, 11], uid: 'a' }]);
    const refused = http(d, 'POST', '/items/articles', { token: 'reader-static-token', body: { title: 'no' } });
    const failed = http(d, 'POST', '/items/articles', { ...admin, body: { id: 1, title: 'duplicate' } });
    assert.deepEqual([refused.status, failed.status, refused.outputs.length, failed.outputs.length], [403, 400, 1, 1]);
  });

  it('leaves the state unchanged for a refused request', () => {
    const state: State = fixtureState();
    const [next] = handle(state, { type: 'request', id: 'x', method: 'DELETE', path: '/items/articles/1', query: '', headers: {}, now: NOW });
    assert.equal(next, state);
  });
});

describe('REST through handle: totality', () => {
  const segment = fc.constantFrom('items', 'articles', 'settings', 'nope', 'directus_users', '1', 'abc', '%2F', '%E0%A4%A', '__proto__', 'auth', 'login', 'server', '');
  const request = fc.record({
    method: fc.constantFrom('GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'SEARCH', 'PUT', 'get', 'BREW'),
    path: fc.array(segment, { maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
    query: fc.oneof(fc.string(), fc.constantFrom('filter[a][b][c]=1&filter=2', 'limit=1&limit=x', 'meta[a]=1', 'fields=', 'deep[__proto__][x]=1', 'access_token=x')),
    token: fc.constantFrom(undefined, 'admin-static-token', 'reader-static-token', 'nope', 'eyJhbGciOiJub25lIn0.e30.'),
    contentType: fc.constantFrom(undefined, 'application/json', 'text/plain'),
    body: fc.oneof(fc.constant(undefined), fc.string(), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v))),
  });

  it('answers every request exactly once, and a failed one leaves the data as it was', () => {
    const state: State = fixtureState();
    fc.assert(fc.property(request, (r) => {
      const headers: Record<string, string> = {};
      if (r.token) headers['authorization'] = `Bearer ${r.token}`;
      if (r.contentType) headers['content-type'] = r.contentType;
      const [next, outputs] = handle(state, { type: 'request', id: 'p', method: r.method, path: r.path, query: r.query, headers, now: NOW, ...(r.body === undefined ? {} : { body: r.body }) });
      const replies = outputs.filter((o): o is Respond => o.type === 'respond');
      assert.equal(replies.length, 1);
      assert.equal(replies[0]!.id, 'p');
      if (replies[0]!.status >= 400) assert.equal(next.data, state.data);
      if (replies[0]!.status !== 204 && replies[0]!.status !== 302 && replies[0]!.headers['content-type']?.includes('json')) JSON.parse(replies[0]!.body);
    }), { numRuns: 400 });
  });
});
