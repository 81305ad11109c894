// `GET /schema/snapshot`, `/collections`, `/fields` and `/relations` through `handle`, against the
// replies Directus 12.4 gave with the same fixture loaded (test/fixtures/directus/schema-routes.json).
// Two things are Directus's database and not its semantics, and are left out of the comparison: the
// `meta.id` of field and relation records (row ids of directus_fields / directus_relations) and the
// `schema.sql` of a collection (SQLite's CREATE TABLE text).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createState, handle, inferSchema, schemaFromSnapshot, snapshotOf, type Output, type State } from '../core/index.ts';

const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const recorded: { token: string | null; path: string; status: number; body: any }[] = fixture('directus/schema-routes.json').replies;

const relationsState = (): State => {
  const state = createState({ data: fixture('relations-db.json'), schema: fixture('relations-schema.json'), seed: 1 });
  if (!('connections' in state)) throw new Error(state.message);
  return state;
};

const get = (state: State, path: string, token: string | null): { status: number; body: any } => {
  const [, outputs] = handle(state, {
    type: 'request', id: 'r', method: 'GET', path, query: '', now: 0,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  const reply = outputs.find((o): o is Extract<Output, { type: 'respond' }> => o.type === 'respond')!;
  return { status: reply.status, body: JSON.parse(reply.body) };
};

/** Leaves out the database's own ids and SQL (see above). */
const withoutDatabaseDetails = (value: any): any => {
  if (Array.isArray(value)) return value.map(withoutDatabaseDetails);
  if (value === null || typeof value !== 'object') return value;
  const out: any = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'sql' || (key === 'id' && typeof v === 'number')) continue;
    out[key] = withoutDatabaseDetails(v);
  }
  return out;
};

describe('the schema routes answer as Directus 12.4 does', () => {
  const state = relationsState();
  for (const { token, path, status, body } of recorded) {
    it(`GET ${path} as ${token === null ? 'the public' : 'an admin'}: ${status}`, () => {
      const reply = get(state, path, token);
      assert.equal(reply.status, status);
      assert.deepEqual(withoutDatabaseDetails(reply.body), withoutDatabaseDetails(body));
    });
  }

  it('GET /schema/snapshot gives an admin the loaded snapshot itself (Directus gave back the same one)', () => {
    assert.deepEqual(get(state, '/schema/snapshot', 'admin-static-token').body, { data: fixture('relations-schema.json') });
  });

  it('lists every collection, each field once with alias fields last, and every relation', () => {
    const snapshot = fixture('relations-schema.json');
    const collections = get(state, '/collections', 'admin-static-token').body.data;
    assert.deepEqual(collections.map((c: any) => c.collection), snapshot.collections.map((c: any) => c.collection));
    const fields = get(state, '/fields', 'admin-static-token').body.data;
    assert.equal(fields.length, snapshot.fields.length);
    const firstAlias = fields.findIndex((f: any) => f.schema === null);
    assert.ok(fields.slice(firstAlias).every((f: any) => f.schema === null), 'stored fields come first');
    assert.deepEqual(new Set(fields.map((f: any) => f.meta.id)).size, fields.length, 'each record has its own id');
    assert.equal(get(state, '/relations', 'admin-static-token').body.data.length, snapshot.relations.length);
  });
});

describe('a schema inferred from a json-server file', () => {
  const data = { posts: [{ id: 1, title: 'Hello', views: 3, published: true, meta: { a: 1 } }], settings: { id: 1, theme: 'dark' } };

  it('reads back from its own snapshot as the same collections', () => {
    const inferred = inferSchema(data);
    const snapshot = snapshotOf(inferred);
    const again = schemaFromSnapshot({ ...snapshot, collections: [...snapshot.collections], fields: [...snapshot.fields], relations: [...snapshot.relations] });
    assert.deepEqual(again.collections, inferred.collections);
  });

  it('is described with the column types Directus gives each field type on SQLite', () => {
    const snapshot = snapshotOf(inferSchema(data));
    const column = (field: string) => snapshot.fields.find((f) => f['field'] === field && f['collection'] === 'posts')!['schema'] as any;
    assert.deepEqual([column('title').data_type, column('title').max_length], ['varchar', 255]);
    assert.equal(column('views').data_type, 'integer');
    assert.equal(column('published').data_type, 'boolean');
    assert.equal(column('meta').data_type, 'json');
    assert.equal((snapshot.collections.find((c) => c['collection'] === 'settings')!['meta'] as any).singleton, true);
  });
});
