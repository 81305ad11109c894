// The Postgres dialect: where Directus on Postgres answers differently from Directus on SQLite, standin
// with `dialect: 'postgres'` answers as Postgres does. Every expected reply below is the one Directus
// 12.4 on Postgres 15 sent for the same request on the differential `catalog` fixture (tools/postgres,
// tools/differential/probe.ts --postgres); the SQLite side keeps today's behaviour.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createStandin } from '../adapters/testing.ts';
import { dialectNamed } from '../core/index.ts';
import { startCli } from './cli-server.ts';

const fixture = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/differential/catalog/${file}`, import.meta.url), 'utf8'));

const standin = (dialect?: 'sqlite' | 'postgres') =>
  createStandin({ data: fixture('db.json'), schema: fixture('schema.json'), auth: 'public', ...(dialect ? { dialect } : {}) });

const call = async (s: ReturnType<typeof standin>, method: string, url: string, body?: unknown) => {
  const res = await s.fetch(`http://standin.test${url}`, {
    method,
    headers: { authorization: 'Bearer admin-token', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
};

/** GET on a fresh standin of each dialect. */
const read = async (url: string, dialect: 'sqlite' | 'postgres' = 'postgres') => {
  const s = standin(dialect);
  try {
    return await call(s, 'GET', url);
  } finally {
    s.close();
  }
};

/** POST /items/products on a fresh Postgres standin. */
const create = async (body: unknown, fields = 'id') => {
  const s = standin('postgres');
  try {
    return await call(s, 'POST', `/items/products?fields=${fields}`, body);
  } finally {
    s.close();
  }
};

const ok = (data: unknown) => ({ status: 200, body: { data } });
const internal = (message: string) => ({ status: 500, body: { errors: [{ message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });

describe('postgres dialect: LIKE matches case exactly', () => {
  it('_contains, _starts_with and _ends_with do not fold case on Postgres; they do on SQLite', async () => {
    assert.deepEqual(await read('/items/products?fields=id,name&filter[name][_contains]=saw'), ok([]));
    assert.deepEqual(await read('/items/products?fields=id,name&filter[name][_starts_with]=s'), ok([]));
    assert.deepEqual(await read('/items/products?fields=id,name&filter[name][_ends_with]=W'), ok([]));
    assert.deepEqual(await read('/items/products?fields=id,name&filter[name][_contains]=saw', 'sqlite'), ok([{ id: 2, name: 'Saw' }]));
  });

  it('_ncontains keeps the row whose case differs; _icontains and search still fold', async () => {
    assert.deepEqual(await read('/items/products?fields=id,name&filter[name][_ncontains]=saw'), ok([
      { id: 2, name: 'Saw' }, { id: 4, name: 'Rake' }, { id: 1, name: 'Hammer' }, { id: 5, name: 'Spade' }, { id: 3, name: 'Drill' }, { id: 6, name: 'hose pipe' },
    ]));
    assert.deepEqual(await read('/items/products?fields=id,name&filter[name][_icontains]=SAW'), ok([{ id: 2, name: 'Saw' }]));
    assert.deepEqual(await read('/items/products?fields=id&search=SAW'), ok([{ id: 2 }]));
  });

  it('`_` in a needle is still a wildcard, and a csv _contains is case-sensitive', async () => {
    assert.deepEqual(await read('/items/products?fields=id,name&filter[name][_contains]=a_e'), ok([{ id: 4, name: 'Rake' }, { id: 5, name: 'Spade' }]));
    assert.deepEqual(await read('/items/products?fields=id,labels&filter[labels][_contains]=X'), ok([]));
  });
});

describe('postgres dialect: NULL sorts last ascending, first descending', () => {
  it('sorts a float and a text field with NULL at the end ascending', async () => {
    assert.deepEqual(await read('/items/products?fields=id,weight&sort=weight'), ok([
      { id: 1, weight: 1.5 }, { id: 2, weight: 3 }, { id: 3, weight: 4.5 }, { id: 5, weight: 7.5 }, { id: 6, weight: 9 }, { id: 4, weight: null },
    ]));
    assert.deepEqual(await read('/items/products?fields=id,weight&sort=-weight'), ok([
      { id: 4, weight: null }, { id: 6, weight: 9 }, { id: 5, weight: 7.5 }, { id: 3, weight: 4.5 }, { id: 2, weight: 3 }, { id: 1, weight: 1.5 },
    ]));
    assert.deepEqual((await read('/items/products?fields=id,weight&sort=weight', 'sqlite')).body.data[0], { id: 4, weight: null });
  });

  it('orders groupBy rows with the NULL group last', async () => {
    assert.deepEqual(await read('/items/products?aggregate[count]=*&groupBy=category'), ok([
      { category: 1, count: '2' }, { category: 2, count: '1' }, { category: 3, count: '2' }, { category: null, count: '1' },
    ]));
  });
});

describe('postgres dialect: aggregates and bigInteger come back as the driver returns them', () => {
  it('counts are strings', async () => {
    assert.deepEqual(await read('/items/products?aggregate[count]=*'), ok([{ count: '6' }]));
    assert.deepEqual(await read('/items/products?aggregate[count]=price'), ok([{ count: { price: '5' } }]));
    assert.deepEqual(await read('/items/products?aggregate[countDistinct]=status'), ok([{ countDistinct: { status: '2' } }]));
    assert.deepEqual(await read('/items/products?aggregate[count]=*&groupBy=status'), ok([{ status: 'draft', count: '4' }, { status: 'published', count: '2' }]));
  });

  it('sums of integers are exact text, averages numeric text; float columns stay numbers', async () => {
    assert.deepEqual(await read('/items/products?aggregate[sum]=big'), ok([{ sum: { big: '54043195528440021' } }]));
    assert.deepEqual(await read('/items/products?aggregate[sum]=qty&groupBy=active'), ok([{ active: false, sum: { qty: '37' } }, { active: true, sum: { qty: '20' } }]));
    assert.deepEqual(await read('/items/products?aggregate[sumDistinct]=qty'), ok([{ sumDistinct: { qty: '57' } }]));
    assert.deepEqual(await read('/items/products?aggregate[avg]=qty'), ok([{ avg: { qty: '9.5000000000000000' } }]));
    assert.deepEqual(await read('/items/products?aggregate[avgDistinct]=qty'), ok([{ avgDistinct: { qty: '9.5000000000000000' } }]));
    assert.deepEqual(await read('/items/products?aggregate[sum]=weight'), ok([{ sum: { weight: 25.5 } }]));
    assert.deepEqual(await read('/items/products?aggregate[avg]=weight'), ok([{ avg: { weight: 5.1 } }]));
    assert.deepEqual(await read('/items/products?aggregate[max]=big'), ok([{ max: { big: '9007199254740006' } }]));
    assert.deepEqual(await read('/items/products?aggregate[count]=*', 'sqlite'), ok([{ count: 6 }]));
  });

  it('reads bigInteger values as strings, exact past 2^53', async () => {
    assert.deepEqual(await read('/items/products?fields=id,big&limit=2'), ok([{ id: 2, big: '9007199254740002' }, { id: 4, big: '9007199254740004' }]));
    assert.deepEqual(await create({ name: 'e', big: '9007199254740993' }, 'big'), ok({ big: '9007199254740993' }));
  });
});

describe('postgres dialect: typed columns refuse what SQLite would store', () => {
  it('text or a fraction in an integer column is a 500 naming the insert', async () => {
    assert.deepEqual(await create({ name: 'a', qty: 'abc' }),
      internal('insert into "products" ("name", "qty") values ($1, $2) returning "id" - invalid input syntax for type integer: "abc"'));
    assert.deepEqual(await create({ name: 'b', qty: 1.5 }),
      internal('insert into "products" ("name", "qty") values ($1, $2) returning "id" - invalid input syntax for type integer: "1.5"'));
    assert.deepEqual(await create({ name: 's', big: 1.5 }),
      internal('insert into "products" ("big", "name") values ($1, $2) returning "id" - invalid input syntax for type bigint: "1.5"'));
    assert.deepEqual(await create({ name: 'r', price: 'abc' }),
      internal('insert into "products" ("name", "price") values ($1, $2) returning "id" - invalid input syntax for type real: "abc"'));
    assert.deepEqual(await create({ name: 'h', attrs: 'text' }),
      internal('insert into "products" ("attrs", "name") values ($1, $2) returning "id" - invalid input syntax for type json'));
    assert.deepEqual(await create({ name: 'o', at: '25:00' }),
      internal('insert into "products" ("at", "name") values ($1, $2) returning "id" - date/time field value out of range: "25:00"'));
    assert.deepEqual(await create({ name: 'm', stamp: 'abc' }),
      internal('insert into "products" ("name", "stamp") values ($1, $2) returning "id" - invalid input syntax for type timestamp with time zone: "0NaN-NaN-NaNTNaN:NaN:NaN.NaN+NaN:NaN"'));
  });

  it('numbers past int4 or float4 are VALUE_OUT_OF_RANGE, strings past 255 VALUE_TOO_LONG', async () => {
    const range = { status: 400, body: { errors: [{ message: 'Numeric value in collection "products" is out of range.', extensions: { collection: 'products', field: null, value: null, code: 'VALUE_OUT_OF_RANGE' } }] } };
    assert.deepEqual(await create({ name: 'c', qty: 99999999999 }), range);
    assert.deepEqual(await create({ name: 'q', weight: 1e300 }), range);
    const long = 'f'.repeat(300);
    assert.deepEqual(await create({ name: long }), { status: 400, body: { errors: [{
      message: `Value "${long}" for field "name" in collection "products" is too long.`,
      extensions: { collection: 'products', field: 'name', value: long, code: 'VALUE_TOO_LONG' },
    }] } });
  });

  it('keeps values in the column type\'s own form', async () => {
    assert.deepEqual(await create({ name: 'g', at: '10:00' }, 'at'), ok({ at: '10:00:00' }));
    assert.deepEqual(await create({ name: 'j', active: 'yes' }, 'active'), ok({ active: true }));
    assert.deepEqual(await create({ name: 'k', price: 1.23456789 }, 'price'), ok({ price: 1.2345679 }));
    assert.deepEqual(await create({ name: 'v', price: 12345678901234567890 }, 'price'), ok({ price: 12345679000000000000 }));
    assert.deepEqual(await create({ name: 'u', qty: '12' }, 'qty'), ok({ qty: 12 }));
  });

  it('a foreign-key violation names the field, the collection and the value', async () => {
    assert.deepEqual(await create({ name: 't', category: 99 }), { status: 400, body: { errors: [{
      message: 'Invalid foreign key "99" for field "category" in collection "products".',
      extensions: { collection: 'products', field: 'category', value: 99, code: 'INVALID_FOREIGN_KEY' },
    }] } });
  });
});

describe('postgres dialect: uuid keys, json columns and filter values of the wrong type', () => {
  // The registry fixture: people has a uuid key and an m2o `mentor` to it (both Postgres `uuid`
  // columns), cities a json `coords`. Replies recorded by `npm run differential -- --dialect postgres`.
  const registry = (token: string | null = 'admin-token') => {
    const data = JSON.parse(readFileSync(new URL('./fixtures/differential/registry/db.json', import.meta.url), 'utf8'));
    const schema = JSON.parse(readFileSync(new URL('./fixtures/differential/registry/schema.json', import.meta.url), 'utf8'));
    const s = createStandin({ data, schema, auth: 'public', dialect: 'postgres' });
    const send = async (method: string, url: string, body?: unknown) => {
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await s.fetch(`http://standin.test${url}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, body: await res.json() };
    };
    return { s, send };
  };

  it('sorting by a json field fails the query (no ordering operator for json)', async () => {
    const { s, send } = registry(null);
    assert.deepEqual(await send('GET', '/items/cities?sort=-timezone,-coords&limit=5'),
      { status: 500, body: { errors: [{ message: 'An unexpected error occurred.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });
    s.close();
  });

  it('a non-uuid m2o key to a uuid key fails the write before any foreign-key check', async () => {
    const { s, send } = registry();
    assert.deepEqual(await send('POST', '/items/people', { city: 3, mentor: 'Hammer', name: 'x' }),
      internal('insert into "people" ("city", "id", "mentor", "name") values ($1, $2, $3, $4) returning "id" - invalid input syntax for type uuid: "Hammer"'));
    s.close();
  });

  it('an update refused by a column names the update statement, columns in field order', async () => {
    const { s, send } = registry();
    assert.deepEqual(await send('PATCH', '/items/people', {
      query: { fields: ['name'], sort: ['id', 'id'], limit: 1, filter: { id: { _nnull: true } } },
      data: { city: 'abc', mentor: 'e0e0e0e0-0000-4000-9000-000000000001', score: 12.5, name: 'x'.repeat(40) },
    }), internal('update "people" set "name" = $1, "city" = $2, "mentor" = $3, "score" = $4 where "id" in ($5) - invalid input syntax for type integer: "abc"'));
    s.close();
  });

  it('a filter value that is no integer for an integer column fails the read; WebSocket answers nothing', async () => {
    const s = standin('postgres');
    const res = await s.fetch('http://standin.test/items/products?fields=id&filter[qty][_eq]=1.5');
    assert.equal(res.status, 500);
    assert.deepEqual(await read('/items/products?fields=id&filter[qty][_eq]=1.5', 'sqlite'), ok([]));
    s.close();
  });
});

describe('the command line chooses the dialect', () => {
  const catalogDir = new URL('./fixtures/differential/catalog/', import.meta.url).pathname;
  const countOver = async (args: readonly string[], env: Record<string, string> = {}) => {
    const { child, port } = await startCli([`${catalogDir}db.json`, '--schema', `${catalogDir}schema.json`, '--memory', '--quiet', ...args], env);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/items/products?aggregate[count]=*`, { headers: { authorization: 'Bearer admin-token' } });
      return await res.json();
    } finally {
      child.kill();
    }
  };

  it('--dialect postgres and DB_CLIENT=pg answer like Postgres; no flag like SQLite', async () => {
    assert.deepEqual(await countOver(['--dialect', 'postgres']), { data: [{ count: '6' }] });
    assert.deepEqual(await countOver([], { DB_CLIENT: 'pg' }), { data: [{ count: '6' }] });
    assert.deepEqual(await countOver([], { DB_CLIENT: '' }), { data: [{ count: 6 }] });
  });
});

describe('dialect names', () => {
  it('accepts the flag names and Directus\'s DB_CLIENT names', () => {
    assert.deepEqual(['sqlite', 'sqlite3', 'postgres', 'pg', 'mysql'].map(dialectNamed), ['sqlite', 'sqlite', 'postgres', 'postgres', undefined]);
  });
});
