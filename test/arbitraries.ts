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
const query = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({
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
  }, { requiredKeys: [] }),
);
const payload = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ title: fc.string(), rating: fc.jsonValue({ maxDepth: 1 }), author: fc.jsonValue({ maxDepth: 2 }), id: keys }, { requiredKeys: [] }));

/** Every kind of message, valid and not: all fields optional and of any shape. */
export const message = fc.oneof(
  fc.record({
    type: fc.constantFrom('items', 'subscribe', 'unsubscribe', 'ping', 'pong', 'auth', 'ITEMS', 'foo'),
    action: fc.constantFrom('create', 'read', 'update', 'delete', 'upsert'),
    collection: collections,
    id: keys, ids: fc.array(keys, { maxLength: 4 }), data: payload, query,
    uid: fc.oneof(fc.string(), fc.integer(), fc.jsonValue({ maxDepth: 1 })),
    event: fc.constantFrom('create', 'update', 'delete', 'foo'), item: keys,
    access_token: fc.constantFrom('admin-static-token', 'bad'), email: fc.string(), password: fc.string(),
  }, { requiredKeys: [] }).map((m) => JSON.stringify(m)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string(),
  fc.constant('{"type":"items","action":"read","collection":"articles","__proto__":{"polluted":true}}'),
);

