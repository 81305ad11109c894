// Permissions from directus_permissions, applied to every read, write and subscription payload.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createState, type State } from '../core/index.ts';
import { Driver } from './driver.ts';

const READER_POLICY = 'c67d7c43-2545-4056-b7a7-0c1ba18e26de';
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

/** The conformance fixture with a reader limited by fields, item rules, presets and validation. */
const restricted = (): State => {
  const data = fixture('db.json');
  const permission = (id: number, collection: string, action: string, fields: string[], extra: object = {}) =>
    ({ id, policy: READER_POLICY, collection, action, fields, permissions: null, validation: null, presets: null, ...extra });
  data.directus_permissions = [
    permission(1, 'articles', 'read', ['id', 'title', 'status', 'author'], { permissions: { status: { _eq: 'published' } } }),
    permission(2, 'authors', 'read', ['id', 'name']),
    permission(3, 'articles', 'create', ['title', 'body'], { presets: { status: 'published' }, validation: { title: { _nnull: true } } }),
    permission(4, 'articles', 'update', ['title'], { permissions: { author: { _eq: 1 } } }),
    permission(5, 'articles', 'delete', ['*'], { permissions: { status: { _eq: 'draft' } } }),
  ];
  return createState({ data, schema: fixture('schema.json'), seed: 5 }) as State;
};

const items = (action: string, body: object = {}) => ({ type: 'items', collection: 'articles', action, ...body });
const errorCode = (reply: unknown) => (reply as { error?: { code: string } }).error?.code;

describe('a reader limited by permissions', () => {
  it('reads only permitted fields and rows; asking for others is FORBIDDEN', () => {
    const d = new Driver(restricted()).reader('R');
    const all = d.reply('R', items('read', { query: { limit: 2 } })) as { data: object[] };
    assert.deepEqual(all.data, [
      { id: 1, title: 'Hello World', status: 'published', author: 1 },
      { id: 3, title: 'Ümlaut Überschrift', status: 'published', author: 3 },
    ]);
    assert.equal(errorCode(d.reply('R', items('read', { query: { fields: ['id', 'body'] } }))), 'FORBIDDEN');
    assert.equal(errorCode(d.reply('R', items('read', { query: { filter: { price: { _gt: 1 } } } }))), 'FORBIDDEN');
    assert.equal(errorCode(d.reply('R', items('read', { id: 2 }))), 'FORBIDDEN', 'a draft is not readable');
    const meta = d.reply('R', items('read', { query: { fields: ['id'], limit: 0, meta: '*' } })) as { meta: object };
    assert.deepEqual(meta.meta, { total_count: 6, filter_count: 6 });
    const nested = d.reply('R', items('read', { id: 1, query: { fields: ['id', 'author.*'] } })) as { data: object };
    assert.deepEqual(nested.data, { id: 1, author: { id: 1, name: 'Alice Martin' } });
  });

  it('creates only with permitted fields, presets applied, and gets no reply when validation fails', () => {
    const d = new Driver(restricted()).reader('R');
    const created = d.reply('R', items('create', { data: { title: 'Mine' }, query: { fields: ['id', 'title', 'status'] } }));
    assert.deepEqual(created, { type: 'items', data: { id: 13, title: 'Mine', status: 'published' } });
    const before = d.state.data;
    // Directus's processPayload names the fields outside the permission's list.
    assert.deepEqual(d.reply('R', items('create', { data: { title: 'x', rating: 5 } })), { type: 'items', status: 'error', error: { code: 'FORBIDDEN',
      message: 'You don\'t have permission to access field "rating" in collection "articles" or it does not exist. Queried in root.' } });
    assert.deepEqual(d.frames('R', items('create', { data: { title: null } })), []);
    assert.equal(d.state.data, before, 'rejected creates change nothing');
  });

  it('updates and deletes only the rows its item rules allow', () => {
    const d = new Driver(restricted()).reader('R');
    const before = d.state.data;
    // Directus's validateAccess: a row outside the item rule (or missing) refuses the action by name.
    const refused = (message: string) => ({ type: 'items', status: 'error', error: { code: 'FORBIDDEN', message } });
    assert.deepEqual(d.reply('R', items('update', { id: 3, data: { title: 'not mine' } })),
      refused('You don\'t have permissions to perform "update" for the field(s) "title" in collection "articles" or it does not exist.'), 'author 3');
    assert.deepEqual(d.reply('R', items('update', { id: 1, data: { status: 'draft' } })),
      refused('You don\'t have permission to access field "status" in collection "articles" or it does not exist. Queried in root.'), 'field not allowed');
    assert.deepEqual(d.reply('R', items('delete', { id: 1 })),
      refused('You don\'t have permission to perform "delete" for collection "articles" or it does not exist.'), 'published rows cannot be deleted');
    assert.deepEqual(d.reply('R', items('delete', { id: 999 })),
      refused('You don\'t have permission to perform "delete" for collection "articles" or it does not exist.'), 'a missing row is FORBIDDEN for non-admins');
    assert.equal(d.state.data, before);
    const updated = d.reply('R', items('update', { id: 1, data: { title: 'Mine now' } })) as { data: { title: string } };
    assert.equal(updated.data.title, 'Mine now');
    assert.deepEqual(d.reply('R', items('delete', { id: 2 })), { type: 'items', data: 2 });
  });

  it('sees subscription events only for rows and fields it may read', () => {
    const d = new Driver(restricted()).reader('R').admin('A');
    const init = d.reply('R', { type: 'subscribe', collection: 'articles', uid: 's', query: { fields: ['*'] } }) as { data: { id: number }[] };
    assert.deepEqual(init.data.map((r) => r.id), [1, 3, 7, 8, 10, 12], 'published rows only');
    // An update to a draft: not readable, no event.
    assert.deepEqual(d.frames('A', items('update', { id: 2, data: { title: 'draft edit' } }), 'R'), []);
    // An update to a published row: only the permitted fields.
    assert.deepEqual(d.frames('A', items('update', { id: 1, data: { body: 'edited' } }), 'R'), [
      { type: 'subscription', event: 'update', data: [{ id: 1, title: 'Hello World', status: 'published', author: 1 }], uid: 's' },
    ]);
    // Deleting a row it could not read: the key is not leaked (a deliberate difference from Directus).
    assert.deepEqual(d.frames('A', items('delete', { id: 4 }), 'R'), []);
    assert.deepEqual(d.frames('A', items('delete', { id: 3 }), 'R'), [{ type: 'subscription', event: 'delete', data: [3], uid: 's' }]);
  });

  it('never widens access after a failed re-auth (public mode)', () => {
    const d = new Driver({ ...restricted(), config: { ...restricted().config, authMode: 'public' } });
    d.open('P');
    d.reply('P', { type: 'auth', access_token: 'reader-static-token' });
    assert.equal(errorCode(d.reply('P', { type: 'auth', access_token: 'forged' })), 'AUTH_FAILED');
    assert.equal(errorCode(d.reply('P', items('read', { id: 1 }))), 'FORBIDDEN');
    assert.equal(errorCode(d.reply('P', { type: 'subscribe', collection: 'articles', uid: 'x' })), 'FORBIDDEN');
  });
});

/** The fixture with a reader who may create articles (with an author) and only some nested writes. */
const nestedRules = (authorRules: object[]): State => {
  const data = fixture('db.json');
  const permission = (id: number, collection: string, action: string, fields: string[], extra: object = {}) =>
    ({ id, policy: READER_POLICY, collection, action, fields, permissions: null, validation: null, presets: null, ...extra });
  data.directus_permissions = [
    permission(1, 'articles', 'read', ['*']),
    permission(2, 'authors', 'read', ['*']),
    permission(3, 'articles', 'create', ['title', 'author']),
    permission(4, 'authors', 'update', ['articles'], { permissions: { id: { _eq: 1 } } }),
    ...authorRules.map((rule, i) => ({ ...permission(10 + i, 'authors', 'create', ['name']), ...rule })),
  ];
  return createState({ data, schema: fixture('schema.json'), seed: 5 }) as State;
};

describe('fields opened per row by several update permissions (Directus\'s validateAccess cases)', () => {
  it('a field is writable in a row only when a permission whose item rule admits that row opens it', () => {
    const state = restricted();
    const permissions = state.data.system['directus_permissions']!;
    const extra = { id: 6, policy: READER_POLICY, collection: 'articles', action: 'update', fields: ['body'], permissions: null, validation: null, presets: null };
    const d = new Driver({ ...state, data: { ...state.data, system: { ...state.data.system, directus_permissions: [...permissions, extra] } } }).reader('R');
    // Row 3 (author 3) is admitted only by the `body` permission: body may change, title may not.
    assert.deepEqual(d.reply('R', items('update', { id: 3, data: { body: 'edited' } })), { type: 'items', data: { id: 3, title: 'Ümlaut Überschrift', status: 'published', author: 3 } });
    assert.deepEqual(d.reply('R', items('update', { id: 3, data: { title: 'x', body: 'y' } })), { type: 'items', status: 'error', error: { code: 'FORBIDDEN',
      message: 'You don\'t have permissions to perform "update" for the field(s) "title", "body" in collection "articles" or it does not exist.' } });
    // Row 1 (author 1) is admitted by both: both fields may change.
    assert.equal(errorCode(d.reply('R', items('update', { id: 1, data: { title: 'x', body: 'y' } }))), undefined);
  });
});

describe('nested writes under a reader\'s permissions (as Directus\'s nested services check them)', () => {
  const withAuthor = (author: unknown) => items('create', { data: { title: 'Nested', author }, query: { fields: ['id', 'author.*'] } });

  it('refuses a nested create in a collection the caller may not create in, and changes nothing', () => {
    const d = new Driver(nestedRules([])).reader('R');
    const before = d.state.data;
    assert.equal(errorCode(d.reply('R', withAuthor({ name: 'Sneaky' }))), 'FORBIDDEN');
    assert.equal(d.state.data, before);
  });

  it('applies the related collection\'s field list and presets to a nested create', () => {
    const d = new Driver(nestedRules([{ presets: { email: 'preset@example.com' } }])).reader('R');
    const created = d.reply('R', withAuthor({ name: 'Nested Author' })) as { data: { author: object } };
    assert.deepEqual(created.data.author, { id: 4, name: 'Nested Author', email: 'preset@example.com', articles: [13] });
    const before = d.state.data;
    assert.equal(errorCode(d.reply('R', withAuthor({ name: 'x', email: 'not@allowed.org' }))), 'FORBIDDEN', 'email is not a permitted field');
    assert.equal(d.state.data, before);
  });

  it('checks the item rule of a nested update, and an o2m change of the children', () => {
    const d = new Driver(nestedRules([])).reader('R');
    const before = d.state.data;
    // Authors may be updated by this reader only for id 1, and articles never.
    assert.equal(errorCode(d.reply('R', withAuthor({ id: 2, articles: [] }))), 'FORBIDDEN', 'author 2 fails the item rule');
    assert.equal(d.state.data, before);
    const unlink = d.reply('R', { type: 'items', collection: 'authors', action: 'update', id: 1, data: { articles: [] } });
    assert.equal(errorCode(unlink), 'FORBIDDEN', 'nullifying the children is an update of articles, which is not permitted');
    assert.equal(d.state.data, before);
  });
});
