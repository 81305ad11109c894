// uuid keys, m2a (many-to-any) through a junction, a singleton with a row.
import { alias, intKey, plain, system, uuidKey } from './fields.mjs';

export const collections = [
  { collection: 'pages', meta: {}, schema: {}, fields: [uuidKey(), plain('title', 'string'), plain('slug', 'string'), plain('published', 'boolean', { default_value: false }), plain('views', 'integer', { default_value: 0 }), plain('published_on', 'date'), plain('meta', 'json', {}, { special: ['cast-json'] })] },
  { collection: 'block_text', meta: {}, schema: {}, fields: [uuidKey(), plain('body', 'text'), plain('words', 'integer')] },
  { collection: 'block_image', meta: {}, schema: {}, fields: [uuidKey(), plain('url', 'string'), plain('width', 'integer'), plain('ratio', 'float')] },
  { collection: 'pages_blocks', meta: { hidden: true }, schema: {}, fields: [intKey(), plain('pages_id', 'uuid'), plain('item', 'string'), plain('collection', 'string')] },
  { collection: 'site', meta: { singleton: true }, schema: {}, fields: [intKey(), plain('title', 'string'), plain('tagline', 'string'), plain('maintenance', 'boolean', { default_value: false })] },
];

export const aliases = [['pages', alias('blocks', 'm2a')]];

export const relations = [
  { collection: 'pages_blocks', field: 'item', related_collection: null, meta: { one_allowed_collections: ['block_text', 'block_image'], one_collection_field: 'collection', junction_field: 'pages_id' }, schema: null },
  { collection: 'pages_blocks', field: 'pages_id', related_collection: 'pages', meta: { one_field: 'blocks', junction_field: 'item' }, schema: { on_delete: 'CASCADE' } },
];

const u = (n, k) => `${String(n).padStart(8, '0')}-${k}000-4000-8000-000000000000`;
export const data = {
  pages: [
    { id: u(1, 'a'), title: 'Home', slug: 'home', published: true, views: 120, published_on: '2024-01-02', meta: { nav: true } },
    { id: u(2, 'a'), title: 'About', slug: 'about', published: true, views: 45, published_on: '2024-02-03', meta: null },
    { id: u(3, 'a'), title: 'Draft page', slug: null, published: false, views: 0, published_on: null, meta: { nav: false, order: 3 } },
    { id: u(4, 'a'), title: 'Contact', slug: 'contact', published: true, views: 45, published_on: '2023-12-31', meta: [] },
  ],
  block_text: [
    { id: u(1, 'b'), body: 'Welcome home', words: 2 }, { id: u(2, 'b'), body: 'We are a small team', words: 5 }, { id: u(3, 'b'), body: null, words: null },
  ],
  block_image: [{ id: u(1, 'c'), url: 'https://example.com/a.png', width: 800, ratio: 1.5 }, { id: u(2, 'c'), url: 'https://example.com/b.png', width: 400, ratio: 0.75 }],
  pages_blocks: [
    { id: 1, pages_id: u(1, 'a'), item: u(1, 'b'), collection: 'block_text' }, { id: 2, pages_id: u(1, 'a'), item: u(1, 'c'), collection: 'block_image' },
    { id: 3, pages_id: u(2, 'a'), item: u(2, 'b'), collection: 'block_text' }, { id: 4, pages_id: u(4, 'a'), item: u(2, 'c'), collection: 'block_image' },
  ],
  site: { id: 1, title: 'Content site', tagline: 'Things we write', maintenance: false },
  ...system('d0d0', [
    { name: 'Admin', policies: [{ admin: true }] },
    { name: 'Writer', policies: [{ allow: { pages: ['read', 'create', 'update'], pages_blocks: ['read', 'create', 'update', 'delete'], block_text: ['read', 'create'], block_image: ['read'], site: ['read', 'update'] } }] },
  ], { pages: ['read'], site: ['read'] }),
};
