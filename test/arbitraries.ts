// Generators of every kind of inbound message, valid and hostile, shared by the fuzz test and the
// fuzz benchmark.
import fc from 'fast-check';

const collections = fc.constantFrom('articles', 'authors', 'tags_str', 'settings', 'nope', 'directus_users', '__proto__', '');
const keys = fc.oneof(fc.integer({ min: -2, max: 20 }), fc.constantFrom('1', 'js', 'abc', '', '0x1', '__proto__'));
const hostile = fc.constantFrom(
  { $where: 'process.exit(1)' }, { title: { $regex: '.*' } }, { title: { _regex: '^a' } }, { __proto__: { polluted: 1 } },
  { constructor: { prototype: { polluted: 1 } } }, { _and: 5 }, { _or: [{}] }, { id: { _in: [] } }, { 'year(title)': { _eq: 1 } },
  { author: { name: { _some: { x: 1 } } } }, { rating: { _between: 'a,b,c' } }, { published_at: { _gt: '$NOW(-3 banana)' } },
);
// Issue 13's hostile shapes, built once (generating them character by character would be slow):
// huge strings, long arrays, deep nesting, fields that walk a relation back and forth.
const nested = (levels: number, leaf: unknown, wrap: (inner: unknown) => unknown) => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = wrap(value);
  return value;
};
const hugeString = fc.constantFrom('x'.repeat(300_000), '%_'.repeat(60_000), `${'A'.repeat(100_000)}%b_`, '\u{1F600}_'.repeat(20_000));
const hugeFilter = fc.oneof(
  hugeString.map((s) => ({ title: { _contains: s } })),
  hugeString.map((s) => ({ title: { _nistarts_with: s } })),
  fc.constantFrom(
    { _and: Array.from({ length: 5_000 }, (_, i) => ({ id: { _neq: i } })) },
    { _or: Array.from({ length: 999 }, (_, i) => ({ rating: { _eq: i } })) },
    { id: { _in: Array.from({ length: 40_000 }, (_, i) => i) } },
    nested(250, { id: { _eq: 1 } }, (inner) => ({ _and: [inner, { id: { _neq: 2 } }] })),
    nested(12, { name: { _eq: 'x' } }, (inner) => ({ author: { articles: inner } })),
    { author: { articles: { _some: { author: { articles: { _none: { title: { _contains: '%_%' } } } } } } } },
  ),
);
const loopFields = fc.constantFrom(
  '*.*.*.*.*.*.*.*.*.*.*', 'author.articles.author.articles.author.articles.author.articles.id',
  Array.from({ length: 11 }, () => 'author').join('.'), 'count(articles),author.count(articles)',
);
const hugeQuery = fc.record({
  fields: fc.oneof(loopFields, fc.constant(['*'])),
  filter: hugeFilter,
  search: hugeString,
  limit: fc.constantFrom(-1, 1, 100),
  deep: fc.constantFrom(
    { author: { _limit: -1, articles: { _limit: -1, author: { articles: { _limit: -1 } } } } },
    nested(40, { _limit: 1 }, (inner) => ({ author: { articles: inner } })) as Record<string, unknown>,
  ),
  sort: fc.constantFrom('author.articles.title', '-author.name', Array.from({ length: 12 }, () => 'author').join('.')),
}, { requiredKeys: [] });

const query = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  { arbitrary: fc.record({
    fields: fc.oneof(fc.constant(['*']), fc.constantFrom('id,title', '*.*', 'author.*', 'nope', 'year(published_at)'), fc.jsonValue({ maxDepth: 1 })),
    filter: fc.oneof(hostile, fc.jsonValue({ maxDepth: 4 }), fc.string()),
    sort: fc.oneof(fc.constantFrom('-id', 'title,-rating', 'author.name', 'nope'), fc.jsonValue({ maxDepth: 1 })),
    limit: fc.oneof(fc.integer({ min: -3, max: 5 }), fc.string(), fc.double()),
    offset: fc.oneof(fc.integer({ min: -1, max: 5 }), fc.string()),
    page: fc.integer({ min: -1, max: 3 }),
    search: fc.oneof(fc.string(), fc.integer()),
    meta: fc.oneof(fc.constantFrom('*', 'total_count', 'nope'), fc.jsonValue({ maxDepth: 1 })),
    aggregate: fc.oneof(fc.constant({ count: '*' }), fc.jsonValue({ maxDepth: 2 })),
    groupBy: fc.oneof(fc.constantFrom('status', 'year(published_at)'), fc.jsonValue({ maxDepth: 1 })),
    deep: fc.jsonValue({ maxDepth: 3 }),
    alias: fc.jsonValue({ maxDepth: 2 }),
  }, { requiredKeys: [] }), weight: 1 },
);
const payload = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ title: fc.string(), rating: fc.jsonValue({ maxDepth: 1 }), author: fc.jsonValue({ maxDepth: 2 }), id: keys }, { requiredKeys: [] }));

/** Every kind of message (with queries from `queries`), valid and not: all fields optional and of any shape. */
const messages = (queries: fc.Arbitrary<unknown>) => fc.oneof(
  fc.record({
    type: fc.constantFrom('items', 'subscribe', 'unsubscribe', 'ping', 'pong', 'auth', 'ITEMS', 'foo'),
    action: fc.constantFrom('create', 'read', 'update', 'delete', 'upsert'),
    collection: collections,
    id: keys, ids: fc.array(keys, { maxLength: 4 }), data: payload, query: queries,
    uid: fc.oneof(fc.string(), fc.integer(), fc.jsonValue({ maxDepth: 1 })),
    event: fc.constantFrom('create', 'update', 'delete', 'foo'), item: keys,
    access_token: fc.constantFrom('admin-static-token', 'bad'), email: fc.string(), password: fc.string(),
  }, { requiredKeys: [] }).map((m) => JSON.stringify(m)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string(),
  fc.constant('{"type":"items","action":"read","collection":"articles","__proto__":{"polluted":true}}'),
);

/** Every kind of message, valid and not (the fuzz benchmark's mix). */
export const message = messages(query);

/** The same, with one query in about a hundred one of issue 13's hostile shapes (the fuzz test's mix). */
export const messageWithHostileShapes = messages(fc.oneof({ arbitrary: hugeQuery, weight: 1 }, { arbitrary: query, weight: 100 }));

