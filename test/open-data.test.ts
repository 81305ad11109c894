// A data file with no `directus_*` records (a json-server file) is served open: nobody could ever sign
// in to it, so the public role may do everything. As soon as it has system records, Directus's rules apply.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createState, handle, isOpen, type Output, type State } from '../core/index.ts';
import { Driver, NOW } from './driver.ts';

const posts = { posts: [{ id: 1, title: 'Hello', status: 'draft' }] };

const stateOf = (data: unknown, config = {}): State => {
  const state = createState({ data, seed: 1, config });
  if (!('connections' in state)) throw new Error(state.message);
  return state;
};

const rest = (state: State, method: string, path: string, body?: unknown): { status: number; body: unknown } => {
  const [, outputs] = handle(state, {
    type: 'request', id: 'r', method, path, query: '', now: NOW,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const reply = outputs.find((o): o is Extract<Output, { type: 'respond' }> => o.type === 'respond')!;
  return { status: reply.status, body: reply.body === '' ? undefined : JSON.parse(reply.body) };
};

describe('open data', () => {
  it('is data without any directus_* record; empty system arrays count as none', () => {
    assert.equal(isOpen(stateOf(posts).data), true);
    assert.equal(isOpen(stateOf({ ...posts, directus_users: [] }).data), true);
    assert.equal(isOpen(stateOf({ ...posts, directus_roles: [{ id: 'r', name: 'Editor' }] }).data), false);
  });

  it('defaults to public auth mode; data with system records keeps handshake; an explicit mode wins', () => {
    assert.equal(stateOf(posts).config.authMode, 'public');
    assert.equal(stateOf({ ...posts, directus_users: [{ id: 'u', email: 'a@b.c' }] }).config.authMode, 'handshake');
    assert.equal(stateOf(posts, { authMode: 'handshake' }).config.authMode, 'handshake');
  });

  it('lets a public REST caller read, create, update and delete', () => {
    let state = stateOf(posts);
    assert.deepEqual(rest(state, 'GET', '/items/posts'), { status: 200, body: { data: posts.posts } });
    const created = handle(state, {
      type: 'request', id: 'c', method: 'POST', path: '/items/posts', query: '', now: NOW,
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Two' }),
    });
    state = created[0];
    assert.deepEqual(JSON.parse((created[1][0] as Extract<Output, { type: 'respond' }>).body), { data: { id: 2, title: 'Two', status: null } });
    assert.equal(rest(state, 'PATCH', '/items/posts/1', { status: 'published' }).status, 200);
    assert.equal(rest(state, 'DELETE', '/items/posts/1').status, 204);
  });

  it('lets a public WebSocket connection write and subscribe without any auth message', () => {
    const driver = new Driver(stateOf(posts));
    driver.open('P');
    assert.deepEqual(driver.reply('P', { type: 'subscribe', collection: 'posts', uid: 's' }),
      { type: 'subscription', event: 'init', data: posts.posts, uid: 's' });
    const frames = driver.frames('P', { type: 'items', collection: 'posts', action: 'create', data: { title: 'Two' }, uid: 'c' });
    assert.deepEqual(frames, [
      { type: 'items', data: { id: 2, title: 'Two', status: null }, uid: 'c' },
      { type: 'subscription', event: 'create', data: [{ id: 2, title: 'Two', status: null }], uid: 's' },
    ]);
  });

  it('applies Directus rules as soon as the data has a user: the public role may do nothing', () => {
    const state = stateOf({ ...posts, directus_users: [{ id: 'u', email: 'a@b.c', password: 'x' }] }, { authMode: 'public' });
    assert.equal(rest(state, 'GET', '/items/posts').status, 403);
    assert.equal(rest(state, 'POST', '/items/posts', { title: 'Two' }).status, 403);
  });
});
