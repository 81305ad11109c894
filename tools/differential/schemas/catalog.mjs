// Integer keys, a sort field, every field type, a self-relation, o2m with cascade, m2m.
import { alias, intKey, plain, system } from './fields.mjs';

export const collections = [
  { collection: 'categories', meta: { icon: 'folder' }, schema: {}, fields: [intKey(), plain('name', 'string'), plain('parent', 'integer')] },
  {
    collection: 'products', meta: { icon: 'box', sort_field: 'sort' }, schema: {},
    fields: [
      intKey(), plain('sort', 'integer', {}, { hidden: true }), plain('name', 'string'), plain('description', 'text'),
      plain('qty', 'integer'), plain('big', 'bigInteger'), plain('weight', 'float'),
      plain('price', 'decimal', { numeric_precision: 10, numeric_scale: 2 }), plain('active', 'boolean', { default_value: true }),
      plain('attrs', 'json', {}, { special: ['cast-json'] }), plain('labels', 'csv', {}, { special: ['cast-csv'] }),
      plain('ref', 'uuid'), plain('secret', 'hash', {}, { special: ['hash'] }), plain('stamp', 'timestamp'),
      plain('made_at', 'dateTime'), plain('day', 'date'), plain('at', 'time'), plain('status', 'string', { default_value: 'draft' }),
      plain('category', 'integer'),
    ],
  },
  { collection: 'reviews', meta: {}, schema: {}, fields: [intKey(), plain('product', 'integer'), plain('rating', 'integer'), plain('body', 'text')] },
  { collection: 'tags', meta: {}, schema: {}, fields: [intKey(), plain('label', 'string')] },
  { collection: 'products_tags', meta: { hidden: true }, schema: {}, fields: [intKey(), plain('products_id', 'integer'), plain('tags_id', 'integer')] },
];

export const aliases = [
  ['categories', alias('children', 'o2m')], ['products', alias('reviews', 'o2m')], ['products', alias('tags', 'm2m')],
  ['tags', alias('products', 'm2m')], ['categories', alias('products', 'o2m')],
];

export const relations = [
  { collection: 'categories', field: 'parent', related_collection: 'categories', meta: { one_field: 'children' }, schema: { on_delete: 'SET NULL' } },
  { collection: 'products', field: 'category', related_collection: 'categories', meta: { one_field: 'products' }, schema: { on_delete: 'SET NULL' } },
  { collection: 'reviews', field: 'product', related_collection: 'products', meta: { one_field: 'reviews', one_deselect_action: 'delete' }, schema: { on_delete: 'CASCADE' } },
  { collection: 'products_tags', field: 'products_id', related_collection: 'products', meta: { one_field: 'tags', junction_field: 'tags_id' }, schema: { on_delete: 'CASCADE' } },
  { collection: 'products_tags', field: 'tags_id', related_collection: 'tags', meta: { one_field: 'products', junction_field: 'products_id' }, schema: { on_delete: 'CASCADE' } },
];

const p = (id, sort, name, qty, extra = {}) => ({
  id, sort, name, description: `About ${name}`, qty, big: String(9007199254740000 + id), weight: id * 1.5, price: id * 10.25,
  active: id % 2 === 1, attrs: { size: id, tags: ['a', String(id)] }, labels: ['x', `l${id}`], ref: `0000000${id}-aaaa-4bbb-8ccc-00000000000${id}`,
  secret: null, stamp: `2024-0${id}-1${id}T0${id}:30:00.000Z`, made_at: `2024-0${id}-0${id}T1${id}:00:00`, day: `2024-0${id}-2${id}`,
  at: `1${id}:15:00`, status: id % 3 === 0 ? 'published' : 'draft', category: (id % 3) + 1, ...extra,
});
export const data = {
  categories: [
    { id: 1, name: 'Tools', parent: null }, { id: 2, name: 'Hand tools', parent: 1 }, { id: 3, name: 'Garden', parent: null },
    { id: 4, name: 'Power tools', parent: 1 }, { id: 5, name: 'Seeds', parent: 3 },
  ],
  products: [
    p(1, 3, 'Hammer', 10), p(2, 1, 'Saw', 0, { attrs: null, labels: null }), p(3, 5, 'Drill', 7, { description: null, price: null }),
    p(4, 2, 'Rake', 25, { category: null, weight: null }), p(5, 4, 'Spade', 3, { stamp: null, day: null }), p(6, 6, 'Hose', 12, { name: 'hose pipe' }),
  ],
  reviews: [
    { id: 1, product: 1, rating: 5, body: 'Solid' }, { id: 2, product: 1, rating: 3, body: 'Heavy' }, { id: 3, product: 2, rating: 4, body: 'Sharp' },
    { id: 4, product: 3, rating: null, body: 'Loud' }, { id: 5, product: 6, rating: 1, body: 'Leaks' },
  ],
  tags: [{ id: 1, label: 'sale' }, { id: 2, label: 'new' }, { id: 3, label: 'outdoor' }],
  products_tags: [
    { id: 1, products_id: 1, tags_id: 1 }, { id: 2, products_id: 1, tags_id: 2 }, { id: 3, products_id: 4, tags_id: 3 },
    { id: 4, products_id: 6, tags_id: 3 }, { id: 5, products_id: 6, tags_id: 1 },
  ],
  ...system('c0c0', [
    { name: 'Admin', policies: [{ admin: true }] },
    { name: 'Editor', policies: [{ allow: { products: ['read', 'create', 'update', 'delete'], reviews: ['read', 'create'] } }, { allow: { categories: ['read'], tags: ['read'], products_tags: ['read'] } }] },
  ], { categories: ['read'], products: ['read'] }),
};
