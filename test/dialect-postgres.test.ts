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

// Replies Directus 12.4 on Postgres 15 sent (tools/differential/probe.ts --postgres), with the random
// aliases it gives joined tables replaced by <A1>, <A2>… in order of appearance, as the tester does.
const STATEMENT_CASES: readonly {
  schema: string; who: 'admin' | 'restricted'; method: string; url: string; body?: unknown; reply: { status: number; body: unknown };
}[] = [
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?sort=attrs", "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\", \"products\".\"sort\", \"products\".\"name\", \"products\".\"description\", \"products\".\"qty\", \"products\".\"big\", \"products\".\"weight\", \"products\".\"price\", \"products\".\"active\", \"products\".\"attrs\", \"products\".\"labels\", \"products\".\"ref\", \"products\".\"secret\", \"products\".\"stamp\", \"products\".\"made_at\", \"products\".\"day\", \"products\".\"at\", \"products\".\"status\", \"products\".\"category\" from \"products\" order by \"products\".\"attrs\" asc limit $1 - could not identify an ordering operator for type json", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?sort=attrs&filter[qty][_gt]=1&filter[name][_contains]=a&search=x&limit=5&offset=2&fields=name,category.name,reviews.id,count(reviews)", "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"name\", \"products\".\"category\", (select count(*) from \"reviews\" as \"<A1>\" where \"<A1>\".\"product\" = \"products\".\"id\") AS \"reviews_count\", \"products\".\"id\" from \"products\" where (\"products\".\"qty\" > $1 and \"products\".\"name\" like $2) and (LOWER(\"products\".\"name\") LIKE $3 or LOWER(\"products\".\"description\") LIKE $4 or LOWER(\"products\".\"ref\") LIKE $5 or LOWER(\"products\".\"status\") LIKE $6) order by \"products\".\"attrs\" asc limit $7 offset $8 - could not identify an ordering operator for type json", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?sort=-category.name,attrs&filter[_or][0][qty][_gt]=1&filter[_or][1][category][name][_eq]=x&page=2&limit=3", "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\", \"products\".\"sort\", \"products\".\"name\", \"products\".\"description\", \"products\".\"qty\", \"products\".\"big\", \"products\".\"weight\", \"products\".\"price\", \"products\".\"active\", \"products\".\"attrs\", \"products\".\"labels\", \"products\".\"ref\", \"products\".\"secret\", \"products\".\"stamp\", \"products\".\"made_at\", \"products\".\"day\", \"products\".\"at\", \"products\".\"status\", \"products\".\"category\" from \"products\" left join \"categories\" as \"<A1>\" on \"products\".\"category\" = \"<A1>\".\"id\" where (\"products\".\"qty\" > $1 or \"<A1>\".\"name\" = $2) order by \"<A1>\".\"name\" desc, \"products\".\"attrs\" asc limit $3 offset $4 - could not identify an ordering operator for type json", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products/1?sort=attrs&filter[qty][_gt]=1&fields=*.*", "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"category\", \"products\".\"id\", \"products\".\"sort\", \"products\".\"name\", \"products\".\"description\", \"products\".\"qty\", \"products\".\"big\", \"products\".\"weight\", \"products\".\"price\", \"products\".\"active\", \"products\".\"attrs\", \"products\".\"labels\", \"products\".\"ref\", \"products\".\"secret\", \"products\".\"stamp\", \"products\".\"made_at\", \"products\".\"day\", \"products\".\"at\", \"products\".\"status\" from \"products\" where \"products\".\"qty\" > $1 and \"products\".\"id\" = $2 order by \"products\".\"attrs\" asc limit $3 - could not identify an ordering operator for type json", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?sort=attrs&filter[category][_null]=true&filter[active][_eq]=true&filter[_and][0][qty][_neq]=3&filter[_and][1][name][_nin]=a,b&limit=-1", "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\", \"products\".\"sort\", \"products\".\"name\", \"products\".\"description\", \"products\".\"qty\", \"products\".\"big\", \"products\".\"weight\", \"products\".\"price\", \"products\".\"active\", \"products\".\"attrs\", \"products\".\"labels\", \"products\".\"ref\", \"products\".\"secret\", \"products\".\"stamp\", \"products\".\"made_at\", \"products\".\"day\", \"products\".\"at\", \"products\".\"status\", \"products\".\"category\" from \"products\" where (\"products\".\"category\" is null and \"products\".\"active\" = $1 and (not \"products\".\"qty\" = $2 and \"products\".\"name\" not in ($3, $4))) order by \"products\".\"attrs\" asc - could not identify an ordering operator for type json", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/reviews?aggregate[avg]=id&groupBy[0]=body&groupBy[1]=product&filter[product][qty][_nnull]=true&sort[0]=product.description&limit=-1&filter%5Bid%5D%5B_in%5D%5B0%5D=2", "reply": {"status": 500, "body": {"errors": [{"message": "select avg(\"reviews\".\"id\") as \"avg->id\", \"reviews\".\"body\", \"reviews\".\"product\" from \"reviews\" left join \"products\" as \"<A1>\" on \"reviews\".\"product\" = \"<A1>\".\"id\" where (\"<A1>\".\"qty\" is not null and \"reviews\".\"id\" in ($1)) group by \"reviews\".\"body\", \"reviews\".\"product\" order by \"<A1>\".\"description\" asc - column \"<A1>.description\" must appear in the GROUP BY clause or be used in an aggregate function", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/reviews/4?fields=rating%2Cbody%2C*&sort=-product.attrs%2Cid&limit=100&offset=1", "reply": {"status": 500, "body": {"errors": [{"message": "select \"reviews\".\"rating\", \"reviews\".\"body\", \"reviews\".\"id\", \"reviews\".\"product\" from \"reviews\" left join \"products\" as \"<A1>\" on \"reviews\".\"product\" = \"<A1>\".\"id\" where \"reviews\".\"id\" = $1 order by \"<A1>\".\"attrs\" desc, \"reviews\".\"id\" asc limit $2 offset $3 - could not identify an ordering operator for type json", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?fields=id,year(stamp),second(at),count(reviews),weekday(made_at),week(day),minute(stamp)&limit=3", "reply": {"status": 200, "body": {"data": [{"id": 2, "stamp_year": "2024", "at_second": "0.000000", "reviews_count": "1", "made_at_weekday": "5", "day_week": "8", "stamp_minute": "30"}, {"id": 4, "stamp_year": "2024", "at_second": "0.000000", "reviews_count": "0", "made_at_weekday": "4", "day_week": "17", "stamp_minute": "30"}, {"id": 1, "stamp_year": "2024", "at_second": "0.000000", "reviews_count": "2", "made_at_weekday": "1", "day_week": "3", "stamp_minute": "30"}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?aggregate[sum]=qty&groupBy[0]=second(at)&groupBy[1]=month(made_at)&groupBy[2]=week(day)", "reply": {"status": 200, "body": {"data": [{"at_second": "0.000000", "made_at_month": "1", "day_week": "3", "sum": {"qty": "10"}}, {"at_second": "0.000000", "made_at_month": "2", "day_week": "8", "sum": {"qty": "0"}}, {"at_second": "0.000000", "made_at_month": "3", "day_week": "12", "sum": {"qty": "7"}}, {"at_second": "0.000000", "made_at_month": "4", "day_week": "17", "sum": {"qty": "25"}}, {"at_second": "0.000000", "made_at_month": "5", "day_week": null, "sum": {"qty": "3"}}, {"at_second": "0.000000", "made_at_month": "6", "day_week": "26", "sum": {"qty": "12"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?aggregate[count]=*&aggregate[countDistinct]=qty&groupBy[0]=status&sort=-name&search=ham", "reply": {"status": 500, "body": {"errors": [{"message": "select count(*) as \"count\", count(distinct \"products\".\"qty\") as \"countDistinct->qty\", \"products\".\"status\" from \"products\" where (LOWER(\"products\".\"name\") LIKE $1 or LOWER(\"products\".\"description\") LIKE $2 or LOWER(\"products\".\"ref\") LIKE $3 or LOWER(\"products\".\"status\") LIKE $4) group by \"products\".\"status\" order by \"products\".\"name\" desc limit $5 - column \"products.name\" must appear in the GROUP BY clause or be used in an aggregate function", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "POST", "url": "/items/products?aggregate[avg]=weight&groupBy[0]=ref&sort[0]=-description&sort[1]=name", "body": {"weight": 1.5, "labels": {"a": 1}}, "reply": {"status": 500, "body": {"errors": [{"message": "select avg(\"products\".\"weight\") as \"avg->weight\", \"products\".\"ref\" from \"products\" where \"products\".\"id\" = $1 group by \"products\".\"ref\" order by \"products\".\"description\" desc, \"products\".\"name\" asc limit $2 - column \"products.description\" must appear in the GROUP BY clause or be used in an aggregate function", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "PATCH", "url": "/items/products?sort=attrs&filter[qty][_gt]=1", "body": {"keys": [1, 2], "data": {"qty": 3}}, "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\", \"products\".\"sort\", \"products\".\"name\", \"products\".\"description\", \"products\".\"qty\", \"products\".\"big\", \"products\".\"weight\", \"products\".\"price\", \"products\".\"active\", \"products\".\"attrs\", \"products\".\"labels\", \"products\".\"ref\", \"products\".\"secret\", \"products\".\"stamp\", \"products\".\"made_at\", \"products\".\"day\", \"products\".\"at\", \"products\".\"status\", \"products\".\"category\" from \"products\" where (\"products\".\"id\" in ($1, $2) and \"products\".\"qty\" > $3) order by \"products\".\"attrs\" asc limit $4 - could not identify an ordering operator for type json", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "registry", "who": "admin", "method": "POST", "url": "/items/countries?fields=population%2Cname&filter=%7B%22population%22%3A%7B%22_in%22%3A%5B1.5%2C-7%5D%7D%7D&deep=%7B%22cities%22%3A%7B%7D%7D", "body": {"eu": false, "code": "K187", "name": "true", "cities": []}, "reply": {"status": 500, "body": {"errors": [{"message": "select \"countries\".\"population\", \"countries\".\"name\", \"countries\".\"code\" from \"countries\" where \"countries\".\"population\" in ($1, $2) and \"countries\".\"code\" = $3 order by \"countries\".\"code\" asc limit $4 - invalid input syntax for type bigint: \"1.5\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "registry", "who": "admin", "method": "PATCH", "url": "/items/people", "body": {"query": {"filter": {"mentor": {"_empty": true}}}, "data": {"name": "Ada"}}, "reply": {"status": 400, "body": {"errors": [{"message": "Invalid query. \"uuid\" field type does not contain the \"_empty\" filter operator.", "extensions": {"reason": "\"uuid\" field type does not contain the \"_empty\" filter operator", "code": "INVALID_QUERY"}}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/people?search=0000-4000&fields=id", "reply": {"status": 200, "body": {"data": []}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/people?fields=id,mentor&filter[mentor][_eq]=abc", "reply": {"status": 500, "body": {"errors": [{"message": "select \"people\".\"id\", \"people\".\"mentor\" from \"people\" where \"people\".\"mentor\" = $1 order by \"people\".\"id\" asc limit $2 - invalid input syntax for type uuid: \"abc\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/people?fields=id,mentor.name&filter[mentor][name][_eq]=1&filter[city][_in]=1.5,2&sort=-born", "reply": {"status": 500, "body": {"errors": [{"message": "select \"people\".\"id\", \"people\".\"mentor\" from \"people\" left join \"people\" as \"<A1>\" on \"people\".\"mentor\" = \"<A1>\".\"id\" where (\"<A1>\".\"name\" = $1 and \"people\".\"city\" in ($2, $3)) order by \"people\".\"born\" desc limit $4 - invalid input syntax for type integer: \"1.5\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "content", "who": "admin", "method": "GET", "url": "/items/pages_blocks?sort[0]=pages_id.meta&sort[1]=-pages_id.second%28published_on%29&page=1", "reply": {"status": 400, "body": {"errors": [{"message": "Invalid query. Invalid function specified \"second\".", "extensions": {"reason": "Invalid function specified \"second\"", "code": "INVALID_QUERY"}}]}}},
  {"schema": "content", "who": "restricted", "method": "GET", "url": "/items/pages_blocks?fields=pages_id%2Citem%2Ccollection&filter=%7B%22pages_id%22%3A%7B%22_between%22%3A%5B1%2C2%2C3%5D%7D%7D", "reply": {"status": 400, "body": {"errors": [{"message": "Invalid query. \"uuid\" field type does not contain the \"_between\" filter operator.", "extensions": {"reason": "\"uuid\" field type does not contain the \"_between\" filter operator", "code": "INVALID_QUERY"}}]}}},
  {"schema": "content", "who": "admin", "method": "GET", "url": "/items/pages_blocks?sort=pages_id.meta&fields=id,pages_id.title", "reply": {"status": 500, "body": {"errors": [{"message": "select \"pages_blocks\".\"id\", \"pages_blocks\".\"pages_id\" from \"pages_blocks\" left join \"pages\" as \"<A1>\" on \"pages_blocks\".\"pages_id\" = \"<A1>\".\"id\" order by \"<A1>\".\"meta\" asc limit $1 - could not identify an ordering operator for type json", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?fields=id&filter[stamp][_gt]=5", "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\" from \"products\" where \"products\".\"stamp\" > $1 order by \"products\".\"sort\" asc limit $2 - invalid input syntax for type timestamp with time zone: \"5\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?fields=id&filter[made_at][_eq]=not%20a%20date&sort=-id", "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\" from \"products\" where \"products\".\"made_at\" = $1 order by \"products\".\"id\" desc limit $2 - invalid input syntax for type timestamp: \"not a date\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?fields=id&filter[day][_in]=2024-01-21,2024-13-45", "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\" from \"products\" where \"products\".\"day\" in ($1, $2) order by \"products\".\"sort\" asc limit $3 - date/time field value out of range: \"2024-13-45\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?fields=id&filter[at][_eq]=noon", "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\" from \"products\" where \"products\".\"at\" = $1 order by \"products\".\"sort\" asc limit $2 - invalid input syntax for type time: \"noon\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?fields=id&filter[stamp][_between]=2024-01-01,2024-02-01T10:00:00%2B02:00&filter[day][_lt]=today", "reply": {"status": 200, "body": {"data": [{"id": 1}]}}},
  {"schema": "catalog", "who": "admin", "method": "POST", "url": "/items/products?fields=id", "body": {"name": "x", "day": ""}, "reply": {"status": 500, "body": {"errors": [{"message": "insert into \"products\" (\"day\", \"name\") values ($1, $2) returning \"id\" - invalid input syntax for type date: \"\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?fields=id,week(day),day&sort=id", "reply": {"status": 200, "body": {"data": [{"id": 1, "day_week": "3", "day": "2024-01-21"}, {"id": 2, "day_week": "8", "day": "2024-02-22"}, {"id": 3, "day_week": "12", "day": "2024-03-23"}, {"id": 4, "day_week": "17", "day": "2024-04-24"}, {"id": 5, "day_week": null, "day": null}, {"id": 6, "day_week": "26", "day": "2024-06-26"}]}}},
  {"schema": "catalog", "who": "admin", "method": "PATCH", "url": "/items/reviews/999", "body": {"rating": "abc"}, "reply": {"status": 500, "body": {"errors": [{"message": "update \"reviews\" set \"rating\" = $1 where \"id\" in ($2) - invalid input syntax for type integer: \"abc\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?fields=id,count(attrs)&filter[id][_eq]=4", "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\", json_array_length(\"products\".\"attrs\") AS \"attrs_count\" from \"products\" where \"products\".\"id\" = $1 order by \"products\".\"sort\" asc limit $2 - cannot get array length of a non-array", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?fields=id,count(attrs)&limit=2", "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\", json_array_length(\"products\".\"attrs\") AS \"attrs_count\" from \"products\" order by \"products\".\"sort\" asc limit $1 - cannot get array length of a non-array", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?fields=id&filter[count(attrs)][_gt]=1", "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\" from \"products\" where json_array_length(\"products\".\"attrs\") > $1 order by \"products\".\"sort\" asc limit $2 - cannot get array length of a non-array", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?fields=id,attrs&sort=count(attrs)&filter[id][_in]=1,4", "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\", \"products\".\"attrs\" from \"products\" where \"products\".\"id\" in ($1, $2) order by json_array_length(\"products\".\"attrs\") asc limit $3 - cannot get array length of a non-array", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "POST", "url": "/items/products?fields=id", "body": {"name": "a", "stamp": 5}, "reply": {"status": 500, "body": {"errors": [{"message": "insert into \"products\" (\"name\", \"stamp\") values ($1, $2) returning \"id\" - invalid input syntax for type timestamp with time zone: \"5\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "POST", "url": "/items/products?fields=id", "body": {"name": "a", "stamp": true}, "reply": {"status": 500, "body": {"errors": [{"message": "insert into \"products\" (\"name\", \"stamp\") values ($1, $2) returning \"id\" - invalid input syntax for type timestamp with time zone: \"true\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "POST", "url": "/items/products?fields=id", "body": {"name": "a", "stamp": {}}, "reply": {"status": 500, "body": {"errors": [{"message": "insert into \"products\" (\"name\", \"stamp\") values ($1, $2) returning \"id\" - invalid input syntax for type timestamp with time zone: \"{}\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "POST", "url": "/items/products?fields=id", "body": {"name": "a", "stamp": "not a date"}, "reply": {"status": 500, "body": {"errors": [{"message": "insert into \"products\" (\"name\", \"stamp\") values ($1, $2) returning \"id\" - invalid input syntax for type timestamp with time zone: \"0NaN-NaN-NaNTNaN:NaN:NaN.NaN+NaN:NaN\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "POST", "url": "/items/products?fields=id", "body": {"name": "a", "made_at": {}}, "reply": {"status": 500, "body": {"errors": [{"message": "insert into \"products\" (\"made_at\", \"name\") values ($1, $2) returning \"id\" - invalid input syntax for type timestamp: \"{}\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "POST", "url": "/items/products?fields=id", "body": {"name": "a", "day": 1.5}, "reply": {"status": 500, "body": {"errors": [{"message": "insert into \"products\" (\"day\", \"name\") values ($1, $2) returning \"id\" - invalid input syntax for type date: \"1.5\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "POST", "url": "/items/products?fields=id", "body": {"name": "a", "day": "2024-13-45"}, "reply": {"status": 400, "body": {"errors": [{"message": "Invalid payload. Invalid Date format in field \"day\".", "extensions": {"reason": "Invalid Date format in field \"day\"", "code": "INVALID_PAYLOAD"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "PATCH", "url": "/items/categories", "body": [{"id": true, "name": "Tools"}], "reply": {"status": 500, "body": {"errors": [{"message": "update \"categories\" set \"name\" = $1 where \"id\" in ($2) - invalid input syntax for type integer: \"true\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "POST", "url": "/items/products?fields=id,stamp", "body": {"name": "a", "stamp": "2024-01-01"}, "reply": {"status": 200, "body": {"data": {"id": 7, "stamp": "2024-01-01T00:00:00.000Z"}}}},
  {"schema": "registry", "who": "restricted", "method": "GET", "url": "/items/people?filter[_or][0][_or][0][mentees][_some][born][_lte]=2024-02-29%2008:00:00&filter[_or][0][_or][1][city][timezone][_empty]=true&filter[_or][1][mentor][born][_between][0]=1&meta=filter_count", "reply": {"status": 200, "body": {"meta": {"filter_count": 4}, "data": [{"id": "e0e0e0e0-0000-4000-9000-000000000001", "name": "Ada", "born": "1990-05-01T08:00:00", "city": 1, "mentor": null, "score": 12.5, "mentees": ["e0e0e0e0-0000-4000-9000-000000000002", "e0e0e0e0-0000-4000-9000-000000000003"]}, {"id": "e0e0e0e0-0000-4000-9000-000000000002", "name": "Ben", "born": "1985-11-23T17:45:10", "city": 3, "mentor": "e0e0e0e0-0000-4000-9000-000000000001", "score": 7.125, "mentees": ["e0e0e0e0-0000-4000-9000-000000000004"]}, {"id": "e0e0e0e0-0000-4000-9000-000000000003", "name": "Cy", "born": null, "city": null, "mentor": "e0e0e0e0-0000-4000-9000-000000000001", "score": null, "mentees": []}, {"id": "e0e0e0e0-0000-4000-9000-000000000004", "name": "Dee", "born": "2001-01-01T00:00:00", "city": 4, "mentor": "e0e0e0e0-0000-4000-9000-000000000002", "score": 99.999, "mentees": []}]}}},
  {"schema": "registry", "who": "admin", "method": "PATCH", "url": "/items/people/e0e0e0e0-0000-4000-9000-000000000003", "body": {"mentor": "e0e0e0e0-0000-4000-9000-000000000001", "city": 3, "born": -1, "score": "abc", "mentees": [{}]}, "reply": {"status": 500, "body": {"errors": [{"message": "update \"people\" set \"born\" = $1, \"city\" = $2, \"mentor\" = $3, \"score\" = $4 where \"id\" in ($5) - invalid input syntax for type timestamp: \"-1\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "registry", "who": "admin", "method": "PATCH", "url": "/items/people", "body": [{"id": "e0e0e0e0-0000-4000-9000-000000000001", "name": "Dee", "mentees": []}, {"id": "e0e0e0e0-0000-4000-9000-000000000003", "name": true, "mentor": 1e+21, "score": 3}], "reply": {"status": 500, "body": {"errors": [{"message": "update \"people\" set \"name\" = $1, \"mentor\" = $2, \"score\" = $3 where \"id\" in ($4) - invalid input syntax for type uuid: \"1e+21\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "content", "who": "admin", "method": "POST", "url": "/items/block_image?fields=ratio&search=5", "body": {"width": {}, "url": {"a": 1}, "ratio": true}, "reply": {"status": 500, "body": {"errors": [{"message": "insert into \"block_image\" (\"id\", \"ratio\", \"url\", \"width\") values ($1, $2, $3, $4) returning \"id\" - invalid input syntax for type real: \"true\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "content", "who": "restricted", "method": "GET", "url": "/items/pages_blocks?filter[_and][0][_or][0][collection][_nends_with]=block_text&filter[_and][0][_or][1][item][_lt]=Hammer&filter[_and][1][pages_id][_nin][0]=00000001-a000-4000-8000-000000000000&filter[_and][1][pages_id][_nin][1]=x&search=Berlin", "reply": {"status": 400, "body": {"errors": [{"message": "Invalid query. \"string\" field type does not contain the \"_lt\" filter operator.", "extensions": {"reason": "\"string\" field type does not contain the \"_lt\" filter operator", "code": "INVALID_QUERY"}}]}}},
  // Boolean filter values read with boolin; aggregates a column type has no function for; a time summed as an
  // interval; text aggregates read back through the field (json, csv); count() through a null join is 0;
  // dates before the year 100.
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?fields=id,active&filter[active][_eq]=yes", "reply": {"status": 200, "body": {"data": [{"id": 1, "active": true}, {"id": 5, "active": true}, {"id": 3, "active": true}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?fields=id&filter[active][_eq]=maybe", "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\" from \"products\" where \"products\".\"active\" = $1 order by \"products\".\"sort\" asc limit $2 - invalid input syntax for type boolean: \"maybe\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?aggregate[sum]=name&aggregate[min]=active", "reply": {"status": 500, "body": {"errors": [{"message": "select sum(\"products\".\"name\") as \"sum->name\", min(\"products\".\"active\") as \"min->active\" from \"products\" limit $1 - function sum(character varying) does not exist", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?aggregate[max]=attrs&groupBy=status", "reply": {"status": 500, "body": {"errors": [{"message": "select max(\"products\".\"attrs\") as \"max->attrs\", \"products\".\"status\" from \"products\" group by \"products\".\"status\" order by \"products\".\"status\" asc limit $1 - function max(json) does not exist", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?aggregate[countDistinct]=attrs", "reply": {"status": 500, "body": {"errors": [{"message": "select count(distinct \"products\".\"attrs\") as \"countDistinct->attrs\" from \"products\" limit $1 - could not identify an equality operator for type json", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?aggregate[countDistinct]=*", "reply": {"status": 500, "body": {"errors": [{"message": "select count(distinct \"products\".*) as \"countDistinct->*\" from \"products\" limit $1 - could not identify an equality operator for type products", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?aggregate[avgDistinct]=at&aggregate[sum]=at&groupBy=status", "reply": {"status": 200, "body": {"data": [{"status": "draft", "avgDistinct": {"at": {"hours": 13, "minutes": 15}}, "sum": {"at": {"hours": 53}}}, {"status": "published", "avgDistinct": {"at": {"hours": 14, "minutes": 45}}, "sum": {"at": {"hours": 29, "minutes": 30}}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?aggregate[count]=attrs,labels,active", "reply": {"status": 200, "body": {"data": [{"count": {"attrs": 5, "labels": ["5"], "active": "6"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?aggregate[avg]=at&filter[id][_in]=1,2,4", "reply": {"status": 200, "body": {"data": [{"avg": {"at": {"hours": 12, "minutes": 35}}}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/people?aggregate[countDistinct]=*", "reply": {"status": 200, "body": {"data": [{"countDistinct": {"*": "4"}}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/people?aggregate[min]=id", "reply": {"status": 500, "body": {"errors": [{"message": "select min(\"people\".\"id\") as \"min->id\" from \"people\" limit $1 - function min(uuid) does not exist", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/people?fields=id&sort=city.count(people),id", "reply": {"status": 200, "body": {"data": [{"id": "e0e0e0e0-0000-4000-9000-000000000003"}, {"id": "e0e0e0e0-0000-4000-9000-000000000001"}, {"id": "e0e0e0e0-0000-4000-9000-000000000002"}, {"id": "e0e0e0e0-0000-4000-9000-000000000004"}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/countries?fields=code&sort=cities.count(people)", "reply": {"status": 200, "body": {"data": [{"code": "CH"}, {"code": "DE"}, {"code": "FR"}, {"code": "NO"}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/cities?fields=id,founded&filter[founded][_gte]=0043-01-01", "reply": {"status": 200, "body": {"data": [{"id": 1, "founded": "1237-01-01"}, {"id": 2, "founded": "0808-01-01"}, {"id": 4, "founded": "1040-01-01"}, {"id": 5, "founded": "0043-01-01"}]}}},
  {"schema": "content", "who": "admin", "method": "GET", "url": "/items/pages?fields=id&filter[published][_neq]=2024-13-45", "reply": {"status": 500, "body": {"errors": [{"message": "select \"pages\".\"id\" from \"pages\" where not \"pages\".\"published\" = $1 order by \"pages\".\"id\" asc limit $2 - invalid input syntax for type boolean: \"2024-13-45\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "content", "who": "admin", "method": "GET", "url": "/items/pages/99999999-0000-4000-8000-000000000000?aggregate[count]=meta", "reply": {"status": 200, "body": {"data": {"count": {"meta": 0}}}}},
  // A to-many path in a filter is a LEFT JOIN: a parent without children meets one row of nulls (`_null`
  // matches it). An order Postgres refuses fails after the filter's INVALID_QUERY.
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/countries?fields=code&filter[cities][people][name][_null]=true", "reply": {"status": 200, "body": {"data": [{"code": "CH"}, {"code": "DE"}, {"code": "FR"}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/countries?fields=code&filter[cities][_null]=true", "reply": {"status": 200, "body": {"data": [{"code": "CH"}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/people?fields=id&filter[mentees][mentees][_null]=true", "reply": {"status": 200, "body": {"data": [{"id": "e0e0e0e0-0000-4000-9000-000000000001"}, {"id": "e0e0e0e0-0000-4000-9000-000000000002"}, {"id": "e0e0e0e0-0000-4000-9000-000000000003"}, {"id": "e0e0e0e0-0000-4000-9000-000000000004"}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?fields=id&filter[reviews][rating][_null]=true", "reply": {"status": 200, "body": {"data": [{"id": 4}, {"id": 5}, {"id": 3}]}}},
  {"schema": "content", "who": "admin", "method": "GET", "url": "/items/pages?fields=id&filter[blocks][id][_null]=true", "reply": {"status": 200, "body": {"data": [{"id": "00000003-a000-4000-8000-000000000000"}]}}},
  {"schema": "content", "who": "admin", "method": "GET", "url": "/items/pages?fields=id&filter={\"_and\":[{\"meta\":{\"_in\":\"a,b\"}}]}&sort=meta", "reply": {"status": 400, "body": {"errors": [{"message": "Invalid query. \"json\" field type does not contain the \"_in\" filter operator.", "extensions": {"reason": "\"json\" field type does not contain the \"_in\" filter operator", "code": "INVALID_QUERY"}}]}}},
  // A float4 averages in float8 (each value widened exactly: 99.999 is 99.9990005493164); an aggregate
  // sorted through a relation (to-one or to-many, its key, a count through it) refuses what is not grouped.
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/people?aggregate[avg]=score&aggregate[avgDistinct]=score&aggregate[sum]=score&aggregate[max]=score&groupBy=city", "reply": {"status": 200, "body": {"data": [{"city": 1, "avg": {"score": 12.5}, "avgDistinct": {"score": 12.5}, "sum": {"score": 12.5}, "max": {"score": 12.5}}, {"city": 3, "avg": {"score": 7.125}, "avgDistinct": {"score": 7.125}, "sum": {"score": 7.125}, "max": {"score": 7.125}}, {"city": 4, "avg": {"score": 99.9990005493164}, "avgDistinct": {"score": 99.9990005493164}, "sum": {"score": 99.999}, "max": {"score": 99.999}}, {"city": null, "avg": {"score": null}, "avgDistinct": {"score": null}, "sum": {"score": null}, "max": {"score": null}}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/cities?aggregate[count]=*&groupBy=country&sort=-people.score", "reply": {"status": 500, "body": {"errors": [{"message": "select count(distinct \"cities\".\"id\") as \"count\", \"cities\".\"country\" from \"cities\" left join \"people\" as \"<A1>\" on \"cities\".\"id\" = \"<A1>\".\"city\" group by \"cities\".\"country\" order by \"<A1>\".\"score\" desc limit $1 - column \"<A1>.score\" must appear in the GROUP BY clause or be used in an aggregate function", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/cities?aggregate[count]=*&groupBy=country&sort=people", "reply": {"status": 500, "body": {"errors": [{"message": "select count(distinct \"cities\".\"id\") as \"count\", \"cities\".\"country\" from \"cities\" left join \"people\" as \"<A1>\" on \"cities\".\"id\" = \"<A1>\".\"city\" group by \"cities\".\"country\" order by \"<A1>\".\"id\" asc limit $1 - column \"<A1>.id\" must appear in the GROUP BY clause or be used in an aggregate function", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/cities?aggregate[sum]=id&groupBy=country&sort=-people.count(mentees)", "reply": {"status": 500, "body": {"errors": [{"message": "select sum(\"cities\".\"id\") as \"sum->id\", \"cities\".\"country\" from \"cities\" left join \"people\" as \"<A1>\" on \"cities\".\"id\" = \"<A1>\".\"city\" group by \"cities\".\"country\" order by (select count(*) from \"people\" as \"<A2>\" where \"<A2>\".\"mentor\" = \"<A1>\".\"id\") desc limit $1 - subquery uses ungrouped column \"<A1>.id\" from outer query", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/cities?aggregate[sum]=id&groupBy=country&sort=count(people)", "reply": {"status": 500, "body": {"errors": [{"message": "select sum(\"cities\".\"id\") as \"sum->id\", \"cities\".\"country\" from \"cities\" group by \"cities\".\"country\" order by (select count(*) from \"people\" as \"<A1>\" where \"<A1>\".\"city\" = \"cities\".\"id\") asc limit $1 - subquery uses ungrouped column \"cities.id\" from outer query", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/cities?aggregate[sum]=id&groupBy=id&sort=people.name", "reply": {"status": 500, "body": {"errors": [{"message": "select sum(\"cities\".\"id\") as \"sum->id\", \"cities\".\"id\" from \"cities\" left join \"people\" as \"<A1>\" on \"cities\".\"id\" = \"<A1>\".\"city\" group by \"cities\".\"id\" order by \"<A1>\".\"name\" asc limit $1 - column \"<A1>.name\" must appear in the GROUP BY clause or be used in an aggregate function", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/countries?aggregate[avg]=area&groupBy=code&sort=cities.people.name", "reply": {"status": 500, "body": {"errors": [{"message": "select avg(\"countries\".\"area\") as \"avg->area\", \"countries\".\"code\" from \"countries\" left join \"cities\" as \"<A1>\" on \"countries\".\"code\" = \"<A1>\".\"country\" left join \"people\" as \"<A2>\" on \"<A1>\".\"id\" = \"<A2>\".\"city\" group by \"countries\".\"code\" order by \"<A2>\".\"name\" asc limit $1 - column \"<A2>.name\" must appear in the GROUP BY clause or be used in an aggregate function", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  // A list where a scalar operator wants one value, in a REST update or delete by query (the one query no
  // validation sees): pg binds it as one array literal (`{"1"}`), which a number, boolean or date column refuses.
  {"schema": "catalog", "who": "admin", "method": "DELETE", "url": "/items/products", "body": {"query": {"filter": {"qty": {"_gt": [1]}}}}, "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\" from \"products\" where \"products\".\"qty\" > $1 order by \"products\".\"sort\" asc limit $2 - invalid input syntax for type integer: \"{\"1\"}\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "DELETE", "url": "/items/products", "body": {"query": {"filter": {"weight": {"_lt": [1.5, null]}}}}, "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\" from \"products\" where \"products\".\"weight\" < $1 order by \"products\".\"sort\" asc limit $2 - invalid input syntax for type real: \"{\"1.5\",\"0\"}\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "PATCH", "url": "/items/products", "body": {"query": {"filter": {"active": {"_eq": [true]}}}, "data": {"name": "x"}}, "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\" from \"products\" where \"products\".\"active\" = $1 order by \"products\".\"sort\" asc limit $2 - invalid input syntax for type boolean: \"{\"true\"}\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "DELETE", "url": "/items/products", "body": {"query": {"filter": {"day": {"_lt": ["2024-13-45"]}}}}, "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\" from \"products\" where \"products\".\"day\" < $1 order by \"products\".\"sort\" asc limit $2 - date/time field value out of range: \"{\"2024-13-45\"}\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "DELETE", "url": "/items/products", "body": {"query": {"filter": {"_or": [{"made_at": {"_eq": []}}, {"id": {"_gt": 0}}]}}}, "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\" from \"products\" where (\"products\".\"made_at\" = $1 or \"products\".\"id\" > $2) order by \"products\".\"sort\" asc limit $3 - invalid input syntax for type timestamp: \"{}\"", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "restricted", "method": "DELETE", "url": "/items/reviews", "body": {"query": {"filter": {"rating": {"_gt": [1]}}}}, "reply": {"status": 500, "body": {"errors": [{"message": "An unexpected error occurred.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  // addJoin follows every relation along a sort or filter path, its last part too: an m2o there is joined, unread.
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?sort=category.parent,attrs&fields=id", "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\" from \"products\" left join \"categories\" as \"<A1>\" on \"products\".\"category\" = \"<A1>\".\"id\" left join \"categories\" as \"<A2>\" on \"<A1>\".\"parent\" = \"<A2>\".\"id\" order by \"<A1>\".\"parent\" asc, \"products\".\"attrs\" asc limit $1 - could not identify an ordering operator for type json", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "catalog", "who": "admin", "method": "GET", "url": "/items/products?filter[category][parent][_eq]=1&sort=attrs&fields=id", "reply": {"status": 500, "body": {"errors": [{"message": "select \"products\".\"id\" from \"products\" left join \"categories\" as \"<A1>\" on \"products\".\"category\" = \"<A1>\".\"id\" left join \"categories\" as \"<A2>\" on \"<A1>\".\"parent\" = \"<A2>\".\"id\" where \"<A1>\".\"parent\" = $1 order by \"products\".\"attrs\" asc limit $2 - could not identify an ordering operator for type json", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/cities?filter=%7B%22country%22%3A%7B%22_contains%22%3A%22xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx%22%7D%7D&sort=-coords%2Ccountry.cities.country&limit=100", "reply": {"status": 500, "body": {"errors": [{"message": "select \"cities\".\"id\", \"cities\".\"name\", \"cities\".\"country\", \"cities\".\"capital\", \"cities\".\"founded\", \"cities\".\"timezone\", \"cities\".\"coords\" from \"cities\" inner join (select distinct \"cities\".\"id\", \"cities\".\"coords\" as \"corop\", \"<A2>\".\"country\" as \"chjag\", row_number() over (partition by \"cities\".\"id\" order by \"cities\".\"coords\" desc, \"<A2>\".\"country\" asc) as \"directus_row_number\" from \"cities\" left join \"countries\" as \"<A1>\" on \"cities\".\"country\" = \"<A1>\".\"code\" left join \"cities\" as \"<A2>\" on \"<A1>\".\"code\" = \"<A2>\".\"country\" left join \"countries\" as \"<A3>\" on \"<A2>\".\"country\" = \"<A3>\".\"code\" where \"cities\".\"country\" like $1 order by \"directus_row_number\" asc, \"cities\".\"coords\" desc, \"<A2>\".\"country\" asc limit $2) as \"inner\" on \"cities\".\"id\" = \"inner\".\"id\" where \"inner\".\"directus_row_number\" = $3 order by \"inner\".\"corop\" desc, \"inner\".\"chjag\" asc limit $4 - could not identify an ordering operator for type json", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  // Directus's Postgres count() helper looks a json field up by the table it reads: through a join, an alias.
  {"schema": "content", "who": "admin", "method": "GET", "url": "/items/pages_blocks?fields=id&filter[pages_id][count(meta)][_gt]=0", "reply": {"status": 500, "body": {"errors": [{"message": "Cannot read properties of undefined (reading 'fields')", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "content", "who": "admin", "method": "GET", "url": "/items/pages?fields=id&filter[blocks][pages_id][count(meta)][_gt]=0", "reply": {"status": 500, "body": {"errors": [{"message": "Cannot read properties of undefined (reading 'fields')", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "content", "who": "admin", "method": "GET", "url": "/items/pages_blocks?aggregate[count]=*&groupBy=pages_id&sort=pages_id.count(meta)", "reply": {"status": 500, "body": {"errors": [{"message": "Cannot read properties of undefined (reading 'fields')", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  {"schema": "content", "who": "restricted", "method": "GET", "url": "/items/pages_blocks?fields=id&sort=pages_id.count(meta)", "reply": {"status": 500, "body": {"errors": [{"message": "An unexpected error occurred.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}}},
  // A to-many path in a filter is a plain condition (a LEFT JOIN): validated in its place, before a later field's operator.
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/countries?filter[cities][name][_nbetween]=a,b&filter[code][_lt]=x", "reply": {"status": 400, "body": {"errors": [{"message": "Invalid query. \"string\" field type does not contain the \"_nbetween\" filter operator.", "extensions": {"reason": "\"string\" field type does not contain the \"_nbetween\" filter operator", "code": "INVALID_QUERY"}}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/countries?filter[_or][0][_or][0][cities][name][_nbetween]=a,b&filter[_or][0][_or][1][code][_lt]=x", "reply": {"status": 400, "body": {"errors": [{"message": "Invalid query. \"string\" field type does not contain the \"_nbetween\" filter operator.", "extensions": {"reason": "\"string\" field type does not contain the \"_nbetween\" filter operator", "code": "INVALID_QUERY"}}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/cities?filter[_or][0][people][name][_lt]=a&filter[_or][1][name][_gt]=x", "reply": {"status": 400, "body": {"errors": [{"message": "Invalid query. \"string\" field type does not contain the \"_lt\" filter operator.", "extensions": {"reason": "\"string\" field type does not contain the \"_lt\" filter operator", "code": "INVALID_QUERY"}}]}}},
  // The query's alias (Directus, either database): a one-part sort resolves through it (the default key order too);
  // when every field asked for is an alias, each item is its key column (the aliased field if the key is an alias),
  // so an update or delete by query whose alias renames the key finds no keys.
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/cities?fields=other&alias[other]=name&limit=2", "reply": {"status": 200, "body": {"data": [1, 2]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/cities/2?fields=id&alias[id]=name", "reply": {"status": 200, "body": {"data": "Hamburg"}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/cities?fields=name&alias[name]=timezone&sort=-name&limit=3", "reply": {"status": 200, "body": {"data": [4, 3, 5]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/cities?fields=id,founded&alias[id]=name", "reply": {"status": 200, "body": {"data": [{"founded": "1237-01-01", "id": "Berlin"}, {"founded": "0808-01-01", "id": "Hamburg"}, {"founded": "0043-01-01", "id": "Lyon"}, {"founded": "1040-01-01", "id": "Oslo"}, {"founded": null, "id": "Paris"}]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/countries?fields=code&alias[code]=name&limit=2", "reply": {"status": 200, "body": {"data": ["France", "Germany"]}}},
  {"schema": "registry", "who": "admin", "method": "GET", "url": "/items/cities?fields=other,id&alias[other]=name&sort=other&limit=2", "reply": {"status": 200, "body": {"data": [{"id": 1, "other": "Berlin"}, {"id": 2, "other": "Hamburg"}]}}},
  {"schema": "registry", "who": "admin", "method": "PATCH", "url": "/items/cities", "body": {"query": {"alias": {"id": "name"}, "filter": {"id": {"_gt": 1}}}, "data": {"capital": true}}, "reply": {"status": 200, "body": {"data": []}}},
  // processDates refuses date text it cannot read before the statement: before a later column's refusal too.
  {"schema": "content", "who": "admin", "method": "POST", "url": "/items/pages", "body": {"title": "a%b", "published": "2024-13-45", "published_on": "31/12/2024"}, "reply": {"status": 400, "body": {"errors": [{"message": "Invalid payload. Invalid Date format in field \"published_on\".", "extensions": {"reason": "Invalid Date format in field \"published_on\"", "code": "INVALID_PAYLOAD"}}]}}},
  {"schema": "content", "who": "admin", "method": "PATCH", "url": "/items/pages/00000001-a000-4000-8000-000000000000", "body": {"published": "x", "published_on": "31/12/2024"}, "reply": {"status": 400, "body": {"errors": [{"message": "Invalid payload. Invalid Date format in field \"published_on\".", "extensions": {"reason": "Invalid Date format in field \"published_on\"", "code": "INVALID_PAYLOAD"}}]}}}
];

const TOKENS: Readonly<Record<string, Record<'admin' | 'restricted', string>>> = {
  catalog: { admin: 'admin-token', restricted: 'editor-token' },
  content: { admin: 'admin-token', restricted: 'writer-token' },
  registry: { admin: 'admin-token', restricted: 'clerk-token' },
};

const withJoinAliases = (text: string): string => {
  const aliases = [...new Set([...text.matchAll(/(?:join|from) "[^"]+" as "([a-z]{5})"/g)].map((m) => m[1]!))];
  return aliases.reduce((out, alias, i) => out.replace(new RegExp(`\\b${alias}\\b`, 'g'), `<A${i + 1}>`), text);
};

describe('postgres dialect: what a read the database refuses answers, and other replies measured on Postgres', () => {
  for (const c of STATEMENT_CASES) {
    it(`${c.schema}: ${c.method} ${c.url.slice(0, 110)}`, async () => {
      const dir = `./fixtures/differential/${c.schema}/`;
      const load = (file: string): unknown => JSON.parse(readFileSync(new URL(dir + file, import.meta.url), 'utf8'));
      const s = createStandin({ data: load('db.json'), schema: load('schema.json'), auth: 'public', dialect: 'postgres' });
      try {
        const res = await s.fetch(`http://standin.test${c.url}`, {
          method: c.method,
          headers: { authorization: `Bearer ${TOKENS[c.schema]![c.who]}`, ...(c.body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(c.body === undefined ? {} : { body: JSON.stringify(c.body) }),
        });
        const body: unknown = JSON.parse(await res.text(), (_key, v: unknown) => (typeof v === 'string' ? withJoinAliases(v) : v));
        assert.deepEqual({ status: res.status, body }, c.reply);
      } finally {
        s.close();
      }
    });
  }

  it('a date column reads a one-element list as its element (Postgres\'s date parser skips the literal\'s braces)', async () => {
    const s = standin('postgres');
    try {
      const res = await s.fetch('http://standin.test/items/products', {
        method: 'DELETE', headers: { authorization: 'Bearer admin-token', 'content-type': 'application/json' },
        body: JSON.stringify({ query: { filter: { stamp: { _gt: ['2024-03-01'] } } } }),
      });
      assert.equal(res.status, 204);
      // Directus on Postgres removed products 3, 4 and 6 for the same request.
      assert.deepEqual(await call(s, 'GET', '/items/products?fields=id&sort=id'), ok([{ id: 1 }, { id: 2 }, { id: 5 }]));
    } finally {
      s.close();
    }
  });

  it('on SQLite the same reads keep SQLite\'s answers (numbers, no statement)', async () => {
    assert.deepEqual(await read('/items/products?fields=id,year(stamp),count(reviews)&limit=1', 'sqlite'), ok([{ id: 2, stamp_year: 2024, reviews_count: 1 }]));
    // SQLite orders by a bare column (the group's first row: product 6's "Leaks" first), as Directus 12.4 on SQLite answered.
    assert.deepEqual(await read('/items/reviews?aggregate[count]=*&groupBy[0]=product&sort=body&limit=1', 'sqlite'), ok([{ product: 6, count: 1 }]));
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
