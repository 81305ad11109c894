// Relations end to end through `handle`, on a blog schema built like a Directus snapshot: authors,
// posts (m2o author), comments (o2m), tags through a junction (m2m), and an m2a `blocks` field over
// text and image blocks. Expected values are what Directus 12.4 answers (see the relations corpus).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createState, dataToJson, type State } from '../core/index.ts';
import { Driver } from './driver.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

/** The blog: posts 1-6, authors 1-4, comments 1-8, tags life/news/tech/unused, junction rows 1-6, blocks 1-5. */
const blog = (): State => {
  const state = createState({ data: fixture('relations-db.json'), schema: fixture('relations-schema.json'), seed: 7 });
  if (!('connections' in state)) throw new Error(state.message);
  return state;
};

type Frame = Record<string, any>;
const items = (collection: string, body: Record<string, unknown>) => ({ type: 'items', collection, ...body });

/** The `data` of the reply to an items message (fails on an error frame). */
const data = (d: Driver, collection: string, body: Record<string, unknown>, conn = 'A'): unknown => {
  const reply = d.reply(conn, items(collection, body)) as Frame;
  assert.equal(reply['status'], undefined, JSON.stringify(reply));
  return reply['data'];
};
const read = (d: Driver, collection: string, body: Record<string, unknown>, conn = 'A') =>
  data(d, collection, { action: 'read', ...body }, conn);
const error = (d: Driver, collection: string, body: Record<string, unknown>, conn = 'A'): unknown =>
  (d.reply(conn, items(collection, body)) as Frame)['error'];

const admin = () => new Driver(blog()).admin();

describe('relations: reading through every kind', () => {
  it('reads m2o, o2m, m2m (through the junction) and m2a (scoped per collection) in one query', () => {
    const post = read(admin(), 'rel_posts', {
      id: 1,
      query: {
        fields: ['id', 'author.name', 'comments.body', 'tags.rel_tags_id.label', 'blocks.collection',
          'blocks.item:rel_block_text.body', 'blocks.item:rel_block_image.url'],
      },
    });
    assert.deepEqual(post, {
      id: 1,
      author: { name: 'Ada Lovelace' },
      comments: [{ body: 'Great post' }, { body: 'Nice read' }, { body: 'Meh' }],
      tags: [{ rel_tags_id: { label: 'News' } }, { rel_tags_id: { label: 'Technology' } }],
      // Junction rows in the relation's sort_field order.
      blocks: [
        { collection: 'rel_block_text', item: { body: 'Conclusion' } },
        { collection: 'rel_block_text', item: { body: 'Intro paragraph' } },
        { collection: 'rel_block_image', item: { url: 'https://img.example/cover.png' } },
      ],
    });
  });

  it('answers aliases as key arrays without fields, and expands one level per `*`', () => {
    const d = admin();
    assert.deepEqual(read(d, 'rel_posts', { id: 1 }), {
      id: 1, title: 'Hello Relations', status: 'published', author: 1, comments: [1, 2, 3], tags: [1, 2], blocks: [3, 1, 2],
    });
    const starStar = read(d, 'rel_posts', { id: 2, query: { fields: ['*.*'] } }) as Frame;
    // `*.*` lists the relational fields first, as Directus's wildcard expansion does.
    assert.deepEqual(Object.keys(starStar), ['author', 'comments', 'tags', 'blocks', 'id', 'title', 'status']);
    assert.deepEqual(starStar, {
      author: { id: 2, name: 'Brian Kernighan', email: 'brian@example.com', born: '1942-01-01', posts: [2, 6] },
      comments: [{ id: 4, post: 2, body: 'First!', stars: 4 }],
      tags: [{ id: 3, rel_posts_id: 2, rel_tags_id: 'tech' }],
      blocks: [{ id: 5, rel_posts_id: 2, item: '1', collection: 'rel_block_text', sort: 1 }],
      id: 2, title: 'Second Post', status: 'draft',
    });
  });

  it('walks four levels deep, the m2m from its other side too', () => {
    assert.deepEqual(read(admin(), 'rel_tags', { id: 'tech', query: { fields: ['slug', 'posts.rel_posts_id.author.name'] } }), {
      slug: 'tech',
      posts: [
        { rel_posts_id: { author: { name: 'Ada Lovelace' } } },
        { rel_posts_id: { author: { name: 'Brian Kernighan' } } },
        { rel_posts_id: { author: { name: 'Ada Lovelace' } } },
      ],
    });
  });

  it('re-expands the relation back to the parent under `*.*.*` unless backlink is false', () => {
    const d = admin();
    const withBacklink = read(d, 'rel_posts', { id: 5, query: { fields: ['*.*.*'] } }) as Frame;
    assert.deepEqual(withBacklink['comments'], [{
      post: { id: 5, title: 'Archived Notes', status: 'archived', author: 3, comments: [7], tags: [6], blocks: [] },
      id: 7, body: 'Old but gold', stars: null,
    }]);
    const without = read(d, 'rel_posts', { id: 5, query: { fields: ['*.*.*'], backlink: false } }) as Frame;
    assert.deepEqual(without['comments'], [{ id: 7, post: 5, body: 'Old but gold', stars: null }]);
    assert.deepEqual(without['tags'], [{ rel_tags_id: { slug: 'news', label: 'News', posts: [1, 6] }, id: 6, rel_posts_id: 5 }]);
    // Fields asked for by name are kept.
    assert.deepEqual(read(d, 'rel_posts', { id: 5, query: { fields: ['comments.post.title'], backlink: false } }),
      { comments: [{ post: { title: 'Archived Notes' } }] });
  });

  it('expands an unscoped m2a item with its own collection, looks up out-of-scope items, nulls dangling ones', () => {
    const d = admin();
    assert.deepEqual(read(d, 'rel_posts', { id: 1, query: { fields: ['blocks.item.*'] } }), {
      blocks: [
        { item: { id: 2, body: 'Conclusion' } },
        { item: { id: 1, body: 'Intro paragraph' } },
        { item: { id: 1, url: 'https://img.example/cover.png', caption: 'Cover' } },
      ],
    });
    // Out of scope: the related row's key (a number, not the stored "1"); without sub-fields: the stored text.
    assert.deepEqual(read(d, 'rel_posts', { id: 1, query: { fields: ['blocks.item:rel_block_text.body', 'blocks.sort'] } }), {
      blocks: [{ item: { body: 'Conclusion' }, sort: 1 }, { item: { body: 'Intro paragraph' }, sort: 2 }, { item: 1, sort: 3 }],
    });
    assert.deepEqual(read(d, 'rel_posts', { id: 2, query: { fields: ['blocks.item'] } }), { blocks: [{ item: '1' }] });
    data(d, 'rel_block_text', { action: 'delete', id: 1 });
    assert.deepEqual(read(d, 'rel_posts', { id: 2, query: { fields: ['blocks.collection', 'blocks.item:rel_block_text.body'] } }),
      { blocks: [{ collection: 'rel_block_text', item: null }] });
  });

  it('names the relational path of a field that does not exist', () => {
    assert.deepEqual(error(admin(), 'rel_posts', { action: 'read', id: 1, query: { fields: ['id', 'author.nope'] } }), {
      code: 'FORBIDDEN',
      message: 'You don\'t have permission to access field "nope" in collection "rel_authors" or it does not exist. Queried in "author".',
    });
  });

  it('applies permissions along the path: unreadable fields are denied, unreadable relations left out', () => {
    const d = new Driver(blog()).reader();
    assert.deepEqual(error(d, 'rel_posts', { action: 'read', id: 1, query: { fields: ['id', 'author.email'] } }, 'R'), {
      code: 'FORBIDDEN',
      message: 'You don\'t have permission to access field "email" in collection "rel_authors" or it does not exist. Queried in "author".',
    });
    // The reader may not read comments, tags or blocks: those relations are not there at all.
    assert.deepEqual(read(d, 'rel_posts', { id: 1, query: { fields: ['id', 'author.name', 'comments.body'] } }, 'R'),
      { id: 1, author: { name: 'Ada Lovelace' } });
    assert.deepEqual(read(d, 'rel_posts', { id: 1 }, 'R'), { id: 1, title: 'Hello Relations', status: 'published', author: 1 });
  });
});

describe('relations: deep, alias, functions, sort and filters', () => {
  it('applies deep _filter, _sort with _limit, _offset, _page and _search per relation, nested too', () => {
    const d = admin();
    const ids = (post: number, deep: unknown) =>
      (read(d, 'rel_posts', { id: post, query: { fields: ['comments.id'], deep: { comments: deep } } }) as Frame)['comments'].map((c: Frame) => c['id']);
    assert.deepEqual(ids(1, { _filter: { stars: { _gte: 3 } } }), [1, 2]);
    assert.deepEqual(ids(1, { _sort: ['-stars'], _limit: 1 }), [1]);
    assert.deepEqual(ids(1, { _sort: ['id'], _limit: 1, _offset: 1 }), [2]);
    assert.deepEqual(ids(1, { _sort: ['-id'], _limit: 2, _page: 2 }), [1]);
    assert.deepEqual(ids(4, { _search: 'great' }), [5]);
    assert.deepEqual(read(d, 'rel_authors', {
      id: 1,
      query: { fields: ['posts.title', 'posts.comments.body'], deep: { posts: { _sort: ['-id'], comments: { _filter: { stars: { _eq: 5 } } } } } },
    }), { posts: [{ title: 'Deep Dive', comments: [{ body: 'Deep indeed, great' }] }, { title: 'Hello Relations', comments: [{ body: 'Great post' }] }] });
    // On an m2o, a deep filter turns a non-matching parent into null.
    assert.deepEqual(read(d, 'rel_posts', { ids: [1, 2], query: { fields: ['id', 'author.name'], deep: { author: { _filter: { name: { _eq: 'Ada Lovelace' } } } } } }),
      [{ id: 1, author: { name: 'Ada Lovelace' } }, { id: 2, author: null }]);
  });

  it('caps each parent\'s o2m list at the default limit (100) unless deep says otherwise', () => {
    const d = admin();
    data(d, 'rel_posts', { action: 'update', id: 3, data: { comments: { create: Array.from({ length: 105 }, (_, i) => ({ body: `c${i}` })) } } });
    const post = read(d, 'rel_posts', { id: 3, query: { fields: ['comments', 'count(comments)'] } }) as Frame;
    assert.equal(post['comments'].length, 100);
    assert.equal(post['comments_count'], 105);
    const all = read(d, 'rel_posts', { id: 3, query: { fields: ['comments'], deep: { comments: { _limit: -1 } } } }) as Frame;
    assert.equal(all['comments'].length, 105);
  });

  it('orders o2m rows by the relation\'s sort field, nulls last', () => {
    const d = admin();
    data(d, 'rel_posts', { action: 'update', id: 2, data: { blocks: [5, { collection: 'rel_block_image', item: 1 }] } });
    data(d, 'rel_posts', { action: 'update', id: 2, data: { blocks: { create: [{ collection: 'rel_block_text', item: 3 }] } } });
    assert.deepEqual(read(d, 'rel_posts', { id: 2, query: { fields: ['blocks.id', 'blocks.sort'] } }),
      { blocks: [{ id: 5, sort: 1 }, { id: 7, sort: 2 }, { id: 6, sort: null }] });
  });

  it('renames relations with alias', () => {
    const d = admin();
    assert.deepEqual(read(d, 'rel_posts', { id: 4, query: { fields: ['headline', 'writer.name', 'author', 'notes.body'], alias: { headline: 'title', writer: 'author', notes: 'comments' } } }),
      { writer: { name: 'Ada Lovelace' }, author: 1, notes: [{ body: 'Deep indeed, great' }, { body: 'Too deep' }], headline: 'Deep Dive' });
  });

  it('counts o2m, m2m and m2a rows with count() in fields, filter and sort', () => {
    const d = admin();
    assert.deepEqual(read(d, 'rel_posts', { ids: [1, 3], query: { fields: ['id', 'count(comments)', 'count(tags)', 'count(blocks)'] } }),
      [{ id: 1, comments_count: 3, tags_count: 2, blocks_count: 3 }, { id: 3, comments_count: 0, tags_count: 0, blocks_count: 0 }]);
    assert.deepEqual(read(d, 'rel_posts', { query: { fields: ['id'], filter: { 'count(comments)': { _gte: 2 } } } }), [{ id: 1 }, { id: 4 }]);
    assert.deepEqual(read(d, 'rel_authors', { query: { fields: ['id', 'count(posts)'], sort: ['-count(posts)', 'id'] } }),
      [{ id: 1, posts_count: 2 }, { id: 2, posts_count: 2 }, { id: 3, posts_count: 1 }, { id: 4, posts_count: 0 }]);
  });

  it('applies date functions on a relational path in fields, filter and sort', () => {
    assert.deepEqual(read(admin(), 'rel_posts', {
      query: { fields: ['id', 'author.year(born)'], filter: { author: { 'year(born)': { _gt: 1900 } } }, sort: ['-author.year(born)', 'id'] },
    }), [{ id: 2, author: { born_year: 1942 } }, { id: 6, author: { born_year: 1942 } }, { id: 5, author: { born_year: 1916 } }]);
  });

  it('sorts by an m2o path at any depth, NULL first', () => {
    const d = admin();
    assert.deepEqual(read(d, 'rel_posts', { query: { fields: ['id'], sort: ['author.name', 'id'] } }),
      [{ id: 3 }, { id: 1 }, { id: 4 }, { id: 2 }, { id: 6 }, { id: 5 }]);
    assert.deepEqual(read(d, 'rel_comments', { query: { fields: ['id'], sort: ['-post.author.name', 'id'] } }),
      [{ id: 7 }, { id: 4 }, { id: 1 }, { id: 2 }, { id: 3 }, { id: 5 }, { id: 6 }, { id: 8 }]);
  });

  it('filters through relations: depth 3, _some, _none, implicit some, m2a scopes and $FOLLOW', () => {
    const d = admin();
    const ids = (collection: string, filter: unknown) =>
      (read(d, collection, { query: { fields: ['*'], filter } }) as Frame[]).map((r) => r['id'] ?? r['slug']);
    assert.deepEqual(ids('rel_tags', { posts: { rel_posts_id: { author: { name: { _eq: 'Ada Lovelace' } } } } }), ['life', 'news', 'tech']);
    assert.deepEqual(ids('rel_posts', { comments: { _some: { stars: { _lt: 3 } } } }), [1, 4]);
    // A NULL stars is not < 3; posts without comments match _none.
    assert.deepEqual(ids('rel_posts', { comments: { _none: { stars: { _lt: 3 } } } }), [2, 3, 5, 6]);
    assert.deepEqual(ids('rel_posts', { tags: { rel_tags_id: { label: { _eq: 'Technology' } } } }), [1, 2, 4]);
    assert.deepEqual(ids('rel_posts', { tags: { _none: { rel_tags_id: { slug: { _eq: 'tech' } } } } }), [3, 5, 6]);
    assert.deepEqual(ids('rel_posts', { blocks: { 'item:rel_block_text': { body: { _contains: 'intro' } } } }), [1, 2]);
    // $FOLLOW: the reverse of an m2o (or of an m2a) without needing an alias field.
    assert.deepEqual(ids('rel_posts', { '$FOLLOW(rel_comments, post)': { stars: { _eq: 5 } } }), [1, 4]);
    assert.deepEqual(ids('rel_authors', { '$FOLLOW(rel_posts, author)': { _none: { status: { _eq: 'draft' } } } }), [1, 3, 4]);
    assert.deepEqual(ids('rel_block_text', { '$FOLLOW(rel_posts_blocks, item, collection)': { rel_posts_id: { _eq: 2 } } }), [1]);
  });

  it('aggregates over the rows a to-many filter joins; groupBy through a relation gets no reply', () => {
    const d = admin();
    // Post 1 has both tags: sum sees it twice, count(*) and countDistinct once.
    assert.deepEqual(read(d, 'rel_posts', {
      query: { aggregate: { count: ['*'], countDistinct: ['id'], sum: ['id'] }, filter: { tags: { rel_tags_id: { _in: ['news', 'tech'] } } } },
    }), [{ count: 4, countDistinct: { id: 4 }, sum: { id: 13 } }]);
    assert.deepEqual(read(d, 'rel_posts', { query: { aggregate: { count: ['*'] }, groupBy: ['author'] } }),
      [{ author: null, count: 1 }, { author: 1, count: 2 }, { author: 2, count: 2 }, { author: 3, count: 1 }]);
    assert.deepEqual(d.frames('A', items('rel_posts', { action: 'read', query: { aggregate: { count: ['*'] }, groupBy: ['author.name'] } })), []);
  });
});

describe('relations: nested writes', () => {
  it('creates, links or updates the m2o parent given as an object', () => {
    const d = admin();
    assert.deepEqual(data(d, 'rel_posts', { action: 'create', data: { title: 'New author', author: { name: 'Edsger Dijkstra' } } }),
      { id: 7, title: 'New author', status: 'draft', author: 5, comments: [], tags: [], blocks: [] });
    // An object carrying an existing key updates that row.
    assert.deepEqual(data(d, 'rel_posts', { action: 'create', data: { title: 'Renames', author: { id: 2, name: 'Brian W. Kernighan' } }, query: { fields: ['id', 'author.name', 'author.posts'] } }),
      { id: 8, author: { name: 'Brian W. Kernighan', posts: [2, 6, 8] } });
    // A key that does not exist is created with that key; new rows continue after it.
    assert.deepEqual(data(d, 'rel_posts', { action: 'create', data: { title: 'Fifty', author: { id: 50, name: 'Fifty' } }, query: { fields: ['author.id'] } }),
      { author: { id: 50 } });
    assert.deepEqual(data(d, 'rel_authors', { action: 'create', data: { name: 'Next' }, query: { fields: ['id'] } }), { id: 51 });
    // From the many side, the parent is created before the child.
    assert.deepEqual(data(d, 'rel_comments', { action: 'create', data: { body: 'Starts a post', post: { title: 'Born from a comment', author: 1 } }, query: { fields: ['id', 'post.id', 'post.author.name'] } }),
      { id: 9, post: { id: 10, author: { name: 'Ada Lovelace' } } });
  });

  it('replaces o2m children from a plain array: creates, links (moving them here), nullifies the rest', () => {
    const d = admin();
    // Comment 8 has no post, comment 4 belongs to post 2; comments 2 and 3 are deselected (nullify).
    assert.deepEqual(data(d, 'rel_posts', { action: 'update', id: 1, data: { comments: [1, 8, { id: 4 }, { body: 'brand new' }] } }),
      { id: 1, title: 'Hello Relations', status: 'published', author: 1, comments: [1, 4, 8, 9], tags: [1, 2], blocks: [3, 1, 2] });
    assert.deepEqual(read(d, 'rel_comments', { ids: [2, 3, 4], query: { fields: ['id', 'post'] } }),
      [{ id: 2, post: null }, { id: 3, post: null }, { id: 4, post: 1 }]);
    assert.deepEqual(error(d, 'rel_posts', { action: 'update', id: 1, data: { comments: [999] } }),
      { code: 'FORBIDDEN', message: "You don't have permission to access this." });
  });

  it('applies {create, update, delete} to o2m children; delete only touches this parent\'s children', () => {
    const d = admin();
    assert.deepEqual(data(d, 'rel_posts', { action: 'update', id: 4, data: { comments: { create: [{ body: 'added', stars: 4 }], update: [{ id: 7, body: 'moved' }], delete: [5, 1] } } }),
      { id: 4, title: 'Deep Dive', status: 'published', author: 1, comments: [6, 7, 9], tags: [4, 5], blocks: [4] });
    assert.deepEqual(read(d, 'rel_comments', { ids: [1, 5, 7], query: { fields: ['id', 'post', 'body'] } }),
      [{ id: 1, post: 1, body: 'Great post' }, { id: 5, post: null, body: 'Deep indeed, great' }, { id: 7, post: 4, body: 'moved' }]);
    assert.deepEqual(error(d, 'rel_posts', { action: 'update', id: 1, data: { comments: { add: [1] } } }),
      { code: 'INVALID_PAYLOAD', message: 'Invalid payload. Invalid one-to-many update structure: "add" is not allowed.' });
    assert.deepEqual(error(d, 'rel_posts', { action: 'update', id: 1, data: { comments: { create: {} } } }),
      { code: 'INVALID_PAYLOAD', message: 'Invalid payload. Invalid one-to-many update structure: "create" must be an array.' });
  });

  it('writes m2m links through the junction: existing and new tags, deselect delete on the post side', () => {
    const d = admin();
    assert.deepEqual(data(d, 'rel_posts', {
      action: 'create',
      data: { title: 'Tagged', tags: [{ rel_tags_id: 'news' }, { rel_tags_id: { slug: 'fresh', label: 'Fresh' } }, { rel_tags_id: { slug: 'tech', label: 'Tech!' } }] },
      query: { fields: ['id', 'tags.id', 'tags.rel_tags_id.label'] },
    }), { id: 7, tags: [{ id: 7, rel_tags_id: { label: 'News' } }, { id: 8, rel_tags_id: { label: 'Fresh' } }, { id: 9, rel_tags_id: { label: 'Tech!' } }] });
    // Keep junction row 2 by its key; junction row 1 is deleted (the post side deselects with delete).
    data(d, 'rel_posts', { action: 'update', id: 1, data: { tags: [2, { rel_tags_id: 'life' }] } });
    assert.deepEqual(read(d, 'rel_posts_tags', { query: { fields: ['id', 'rel_tags_id'], filter: { rel_posts_id: { _eq: 1 } } } }),
      [{ id: 2, rel_tags_id: 'tech' }, { id: 10, rel_tags_id: 'life' }]);
    assert.deepEqual(read(d, 'rel_posts_tags', { query: { fields: ['id'], filter: { id: { _eq: 1 } } } }), []);
    // From the tag side the deselect action is nullify: the rows stay, without their tag.
    data(d, 'rel_tags', { action: 'update', id: 'life', data: { posts: [{ rel_posts_id: 6 }] } });
    assert.deepEqual(read(d, 'rel_posts_tags', { ids: [5, 10, 11], query: { fields: ['id', 'rel_posts_id', 'rel_tags_id'] } }),
      [{ id: 5, rel_posts_id: 4, rel_tags_id: null }, { id: 10, rel_posts_id: 1, rel_tags_id: null }, { id: 11, rel_posts_id: 6, rel_tags_id: 'life' }]);
  });

  it('writes m2a links: objects, bare keys, {create} appended after the sort maximum, and its payload errors', () => {
    const d = admin();
    assert.deepEqual(data(d, 'rel_posts', {
      action: 'create',
      data: { title: 'Blocks', blocks: [{ collection: 'rel_block_text', item: { body: 'New text' } }, { collection: 'rel_block_image', item: 2 }, { collection: 'rel_block_text', item: { id: 3, body: 'Used now' } }] },
      query: { fields: ['id', 'blocks.id', 'blocks.sort', 'blocks.item:rel_block_text.*', 'blocks.item:rel_block_image.url'] },
    }), {
      id: 7,
      blocks: [
        { id: 6, sort: null, item: { id: 4, body: 'New text' } },
        { id: 7, sort: null, item: { url: 'https://img.example/chart.png' } },
        { id: 8, sort: null, item: { id: 3, body: 'Used now' } },
      ],
    });
    data(d, 'rel_posts', { action: 'update', id: 1, data: { blocks: { create: [{ collection: 'rel_block_image', item: 2 }] } } });
    assert.deepEqual(read(d, 'rel_posts', { id: 1, query: { fields: ['blocks.id', 'blocks.sort'] } }),
      { blocks: [{ id: 3, sort: 1 }, { id: 1, sort: 2 }, { id: 2, sort: 3 }, { id: 9, sort: 4 }] });
    assert.deepEqual(error(d, 'rel_posts', { action: 'create', data: { title: 'x', blocks: [{ item: { body: 'x' } }] } }), {
      code: 'INVALID_PAYLOAD',
      message: 'Invalid payload. Can\'t update nested record "rel_posts_blocks.item" without field "rel_posts_blocks.collection" being set.',
    });
    assert.deepEqual(error(d, 'rel_posts', { action: 'create', data: { title: 'x', blocks: [{ collection: 'rel_authors', item: { name: 'x' } }] } }),
      { code: 'INVALID_PAYLOAD', message: 'Invalid payload. "rel_posts_blocks.item" can\'t be linked to collection "rel_authors".' });
    // A bare key is stored as is (as text), whatever the collection: m2a keys have no foreign key.
    assert.deepEqual(data(d, 'rel_posts', { action: 'create', data: { title: 'Bare', blocks: [{ collection: 'rel_authors', item: 1 }] }, query: { fields: ['blocks.collection', 'blocks.item'] } }),
      { blocks: [{ collection: 'rel_authors', item: '1' }] });
  });

  it('applies a nested payload to every key of an ids update and writes an m2o object once', () => {
    const d = admin();
    assert.deepEqual(data(d, 'rel_posts', { action: 'update', ids: [3, 6], data: { author: { name: 'Shared' }, tags: [{ rel_tags_id: 'tech' }] }, query: { fields: ['id', 'author', 'tags.rel_tags_id'] } }),
      [{ id: 3, author: 5, tags: [{ rel_tags_id: 'tech' }] }, { id: 6, author: 5, tags: [{ rel_tags_id: 'tech' }] }]);
    assert.deepEqual(read(d, 'rel_authors', { query: { fields: ['id'], filter: { name: { _eq: 'Shared' } } } }), [{ id: 5 }]);
  });
});

describe('relations: integrity and ON DELETE', () => {
  it('refuses foreign keys to missing rows, and UNIQUE violations nested three levels down', () => {
    const d = admin();
    const before = d.state.data;
    assert.deepEqual(error(d, 'rel_comments', { action: 'create', data: { body: 'x', post: 999 } }), { code: 'INVALID_FOREIGN_KEY', message: 'Invalid foreign key.' });
    assert.deepEqual(error(d, 'rel_comments', { action: 'update', id: 1, data: { post: 999 } }), { code: 'INVALID_FOREIGN_KEY', message: 'Invalid foreign key.' });
    assert.deepEqual(error(d, 'rel_tags', {
      action: 'create',
      data: { slug: 'halfway', posts: [{ rel_posts_id: { title: 'Deep', author: { name: 'Dup', email: 'ada@example.com' } } }] },
    }), { code: 'RECORD_NOT_UNIQUE', message: 'Value "ada@example.com" for field "email" in collection "rel_authors" has to be unique.' });
    assert.equal(d.state.data, before);
  });

  it('answers nothing for a missing NOT NULL field, top-level or nested, and changes nothing', () => {
    const d = admin();
    const before = d.state.data;
    assert.deepEqual(d.frames('A', items('rel_comments', { action: 'create', data: { stars: 1 } })), []);
    assert.deepEqual(d.frames('A', items('rel_posts', { action: 'update', id: 1, data: { title: 'Changed?', comments: { create: [{ stars: 1 }] } } })), []);
    assert.deepEqual(d.frames('A', items('rel_comments', { action: 'update', id: 1, data: { body: null } })), []);
    assert.equal(d.state.data, before);
  });

  it('leaves the state exactly as before when a nested write fails half-way, counters included', () => {
    const d = admin();
    const before = d.state.data;
    const counters = Object.fromEntries(Object.entries(before.collections).map(([name, store]) => [name, store.lastId]));
    // The post and its comment are written, then the junction row's tag does not exist.
    assert.deepEqual(error(d, 'rel_posts', { action: 'create', data: { title: 'Half', comments: [{ body: 'orphan?' }], tags: [{ rel_tags_id: 'nope' }] } }),
      { code: 'INVALID_FOREIGN_KEY', message: 'Invalid foreign key.' });
    assert.deepEqual(error(d, 'rel_posts', { action: 'create', data: [{ title: 'Batch ok' }, { title: 'Batch bad', author: 999 }] }),
      { code: 'INVALID_FOREIGN_KEY', message: 'Invalid foreign key.' });
    assert.deepEqual(error(d, 'rel_posts', { action: 'update', data: [{ id: 2, title: 'Retitled' }, { id: 3, author: 999 }] }),
      { code: 'INVALID_FOREIGN_KEY', message: 'Invalid foreign key.' });
    assert.equal(d.state.data, before);
    assert.deepEqual(Object.fromEntries(Object.entries(d.state.data.collections).map(([name, store]) => [name, store.lastId])), counters);
    assert.deepEqual(data(d, 'rel_posts', { action: 'create', data: { title: 'Next' }, query: { fields: ['id'] } }), { id: 7 });
    assert.deepEqual(data(d, 'rel_comments', { action: 'create', data: { body: 'Next' }, query: { fields: ['id'] } }), { id: 9 });
  });

  it('honours ON DELETE SET NULL and CASCADE, leaves m2a rows dangling', () => {
    const d = admin();
    assert.equal(data(d, 'rel_authors', { action: 'delete', id: 1 }), 1);
    assert.deepEqual(read(d, 'rel_posts', { ids: [1, 4], query: { fields: ['id', 'author'] } }), [{ id: 1, author: null }, { id: 4, author: null }]);
    assert.equal(data(d, 'rel_posts', { action: 'delete', id: 4 }), 4);
    assert.deepEqual(read(d, 'rel_comments', { query: { fields: ['id'], filter: { id: { _in: [5, 6] } } } }), []);
    assert.deepEqual(read(d, 'rel_posts_tags', { query: { fields: ['id'], filter: { id: { _in: [4, 5] } } } }), []);
    assert.deepEqual(read(d, 'rel_posts_blocks', { id: 4, query: { fields: ['id', 'rel_posts_id', 'item'] } }), { id: 4, rel_posts_id: null, item: '2' });
    assert.deepEqual(data(d, 'rel_posts', { action: 'delete', query: { filter: { author: { name: { _eq: 'Brian Kernighan' } } } } }), [2, 6]);
  });

  it('answers nothing for a delete ON DELETE RESTRICT refuses, and deletes none of the keys', () => {
    const d = admin();
    const before = d.state.data;
    assert.deepEqual(d.frames('A', items('rel_tags', { action: 'delete', id: 'news' })), []);
    assert.deepEqual(d.frames('A', items('rel_tags', { action: 'delete', ids: ['unused', 'tech'] })), []);
    assert.equal(d.state.data, before);
    assert.equal(data(d, 'rel_tags', { action: 'delete', id: 'unused' }), 'unused');
  });
});

describe('relations: subscription events of nested writes', () => {
  /** U subscribes (fields `id`) to posts, authors, comments and the tags junction; W writes. */
  const watched = () => {
    const d = new Driver(blog()).admin('U').admin('W');
    for (const [uid, collection] of [['posts', 'rel_posts'], ['authors', 'rel_authors'], ['comments', 'rel_comments'], ['junction', 'rel_posts_tags']]) {
      d.send('U', { type: 'subscribe', collection, uid, query: { fields: ['id'] } });
    }
    return d;
  };
  const events = (d: Driver, collection: string, body: Record<string, unknown>) =>
    d.frames('W', items(collection, { query: { fields: ['id'] }, ...body }), 'U')
      .map((f) => [(f as Frame)['uid'], (f as Frame)['event'], (f as Frame)['data']]);

  it('emits one event per item for every collection touched: the parent first, then m2o, then o2m', () => {
    assert.deepEqual(events(watched(), 'rel_posts', {
      action: 'create', data: { title: 'Live', author: { name: 'Live Author' }, comments: [{ body: 'one' }, { body: 'two' }], tags: [{ rel_tags_id: 'news' }] },
    }), [
      ['posts', 'create', [{ id: 7 }]],
      ['authors', 'create', [{ id: 5 }]],
      ['comments', 'create', [{ id: 9 }]],
      ['comments', 'create', [{ id: 10 }]],
      ['junction', 'create', [{ id: 7 }]],
    ]);
  });

  it('reports a deselect as one event with every key, deletes before the rest', () => {
    const d = watched();
    assert.deepEqual(events(d, 'rel_posts', { action: 'update', id: 1, data: { comments: [1, { body: 'replacement' }] } }), [
      ['posts', 'update', [{ id: 1 }]],
      ['comments', 'create', [{ id: 9 }]],
      ['comments', 'update', [{ id: 2 }, { id: 3 }]],
    ]);
    assert.deepEqual(events(d, 'rel_posts', { action: 'update', id: 2, data: { tags: { create: [{ rel_tags_id: 'life' }], delete: [3] } } }), [
      ['junction', 'delete', [3]],
      ['posts', 'update', [{ id: 2 }]],
      ['junction', 'create', [{ id: 7 }]],
    ]);
  });

  it('reports each item of a createMany after its nested writes, and nothing for cascaded rows', () => {
    const d = watched();
    assert.deepEqual(events(d, 'rel_posts', { action: 'create', data: [{ title: 'M1', comments: [{ body: 'm1' }] }, { title: 'M2', author: 3 }] }), [
      ['comments', 'create', [{ id: 9 }]],
      ['posts', 'create', [{ id: 7 }]],
      ['posts', 'create', [{ id: 8 }]],
    ]);
    // Comments 5, 6 and junction rows 4, 5 go by ON DELETE CASCADE: only the post is reported.
    assert.deepEqual(events(d, 'rel_posts', { action: 'delete', id: 4 }), [['posts', 'delete', [4]]]);
  });
});

describe('relations: declared in the data file', () => {
  /** No snapshot: collections are inferred, relations come from `$schema`, written like snapshot relations. */
  const declared = {
    authors: [{ id: 1, name: 'Ada' }],
    posts: [{ id: 1, title: 'Hello', author: 1 }, { id: 2, title: 'Again', author: 1 }],
    tags: [{ id: 'news', name: 'News' }],
    posts_tags: [],
    $schema: {
      relations: [
        // No `schema.on_delete`: SET NULL, as Directus creates a foreign key.
        { collection: 'posts', field: 'author', related_collection: 'authors', meta: { one_field: 'posts' } },
        { collection: 'posts_tags', field: 'posts_id', related_collection: 'posts', meta: { one_field: 'tags', junction_field: 'tags_id', one_deselect_action: 'delete' }, schema: { on_delete: 'CASCADE' } },
        { collection: 'posts_tags', field: 'tags_id', related_collection: 'tags', meta: { junction_field: 'posts_id' }, schema: { on_delete: 'CASCADE' } },
      ],
    },
  };
  /** The admin of the blog fixture, to open connections with. */
  const system = Object.fromEntries(Object.entries(fixture('relations-db.json') as Frame).filter(([k]) => k.startsWith('directus_')));
  const state = () => {
    const s = createState({ data: { ...declared, ...system }, seed: 1 });
    if (!('connections' in s)) throw new Error(s.message);
    return s;
  };

  it('reads and writes m2o, o2m and m2m relations declared under $schema', () => {
    const d = new Driver(state()).admin();
    assert.deepEqual(data(d, 'posts', { action: 'create', data: { title: 'Tagged', author: { name: 'Grace' }, tags: [{ tags_id: 'news' }] }, query: { fields: ['id', 'author.name', 'tags.tags_id.name'] } }),
      { id: 3, author: { name: 'Grace' }, tags: [{ tags_id: { name: 'News' } }] });
    assert.deepEqual(read(d, 'authors', { query: { fields: ['name', 'posts.title'] } }),
      [{ name: 'Ada', posts: [{ title: 'Hello' }, { title: 'Again' }] }, { name: 'Grace', posts: [{ title: 'Tagged' }] }]);
    assert.deepEqual(error(d, 'posts', { action: 'create', data: { title: 'x', author: 9 } }), { code: 'INVALID_FOREIGN_KEY', message: 'Invalid foreign key.' });
    assert.equal(data(d, 'posts', { action: 'delete', id: 3 }), 3);
    assert.deepEqual(read(d, 'posts_tags', {}), []);
    assert.equal(data(d, 'authors', { action: 'delete', id: 1 }), 1);
    assert.deepEqual(read(d, 'posts', { query: { fields: ['id', 'author'] } }), [{ id: 1, author: null }, { id: 2, author: null }]);
  });

  it('keeps the $schema key when the data is saved', () => {
    const s = state();
    const json = dataToJson(s.schema, s.data);
    assert.deepEqual(json['$schema'], declared.$schema);
    assert.deepEqual(json['posts_tags'], []);
    assert.deepEqual(Object.keys(json).filter((k) => !k.startsWith('directus_')).sort(), ['$schema', 'authors', 'posts', 'posts_tags', 'tags']);
  });
});
