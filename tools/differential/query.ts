// Random Directus queries over a collection: fields, filter, sort, paging, search, meta, aggregates,
// deep, alias, functions and relational paths. Each part may be valid, an edge or wrong.
import type { CollectionModel, FieldModel, SchemaModel } from './model.ts';
import type { Random } from './random.ts';
import { valueFor } from './values.ts';

export interface DrawnQuery { readonly query: Record<string, unknown>; readonly ok: boolean; readonly tags: readonly string[] }

const DATE_TYPES = ['timestamp', 'dateTime', 'date'];
const DATE_FUNCTIONS = ['year', 'month', 'week', 'day', 'weekday'];
const TIME_FUNCTIONS = ['hour', 'minute', 'second'];
const STRING_OPS = ['_contains', '_ncontains', '_icontains', '_starts_with', '_nstarts_with', '_istarts_with', '_ends_with', '_nends_with', '_iends_with', '_empty', '_nempty'];
const COMPARE_OPS = ['_eq', '_neq', '_lt', '_lte', '_gt', '_gte', '_in', '_nin', '_between', '_nbetween', '_null', '_nnull'];
const BAD_OPS = ['_foo', 'eq', '_regex', '_intersects', '_json'];

const stored = (c: CollectionModel) => c.fields.filter((f) => f.type !== 'alias');
const collectionOf = (m: SchemaModel, name: string | null) => m.collections.find((c) => c.name === name);

class Builder {
  ok = true;
  readonly tags = new Set<string>();
  readonly r: Random;
  readonly m: SchemaModel;
  constructor(r: Random, m: SchemaModel) { this.r = r; this.m = m; }
  bad(tag: string) { this.ok = false; this.tags.add(`bad:${tag}`); }

  /** A field path: a plain field, a function over one, or a path through a relation (depth up to 3). */
  path(c: CollectionModel, depth = 0, forSort = false): string {
    const r = this.r;
    if (r.chance(0.05)) { this.bad('unknown-field'); return r.pick(['nope', 'id.nope', '', 'title!']); }
    const links = c.links.filter((l) => l.kind === 'm2o' || (!forSort || l.kind === 'o2m'));
    if (depth < 3 && links.length && r.chance(0.25)) {
      const l = r.pick(links);
      const target = collectionOf(this.m, l.target);
      this.tags.add('relational');
      if (l.kind === 'm2a') return `${l.field}.item:${r.pick(['block_text', 'block_image'])}.${r.pick(['id', 'body', 'url'])}`;
      if (!target) return l.field;
      if (l.kind === 'm2m') this.tags.add('m2m');
      return `${l.field}.${this.path(target, depth + 1, forSort)}`;
    }
    const f = r.pick(stored(c));
    if (r.chance(0.1)) {
      this.tags.add('function');
      if (DATE_TYPES.includes(f.type)) return `${r.pick([...DATE_FUNCTIONS, ...TIME_FUNCTIONS])}(${f.name})`;
      if (f.type === 'time') return `${r.pick(TIME_FUNCTIONS)}(${f.name})`;
      if (f.type === 'json') return `count(${f.name})`;
      const o2m = c.links.find((l) => l.kind === 'o2m' || l.kind === 'm2m');
      if (o2m && r.chance(0.5)) { this.tags.add('relational'); return `count(${o2m.field})`; }
      this.bad('function-type');
      return `year(${f.name})`;
    }
    return f.name;
  }

  fields(c: CollectionModel): string[] {
    const r = this.r;
    const out = r.some(['*', ...c.fields.map((f) => f.name)], 4).map((n) => {
      const link = c.links.find((l) => l.field === n);
      if (link && r.chance(0.5)) { this.tags.add('relational'); return `${n}.${r.pick(['*', '*.*', 'id'])}`; }
      return n;
    });
    if (r.chance(0.3)) out.push(this.path(c));
    if (r.chance(0.04)) { this.bad('fields-shape'); out.push(r.pick(['', ' ', '**', 'a..b'])); }
    return out;
  }

  /** One condition on a field of `c`, possibly through relations. */
  condition(c: CollectionModel, depth: number): Record<string, unknown> {
    const r = this.r;
    const link = c.links.length && depth < 3 && r.chance(0.2) ? r.pick(c.links) : undefined;
    if (link) {
      this.tags.add('relational');
      const target = collectionOf(this.m, link.target);
      if (link.kind === 'm2a' || !target) return { [link.field]: { _nnull: true } };
      const inner = this.condition(target, depth + 1);
      if (link.kind === 'm2o') return { [link.field]: inner };
      this.tags.add('some-none');
      if (link.kind === 'm2m') return { [link.field]: { [r.pick(['_some', '_none'])]: { [r.pick(['id', 'tags_id', 'products_id'])]: { _nnull: true } } } };
      return { [link.field]: r.chance(0.7) ? { [r.pick(['_some', '_none'])]: inner } : inner };
    }
    const f = r.pick(stored(c));
    if (r.chance(0.05)) { this.bad('unknown-field'); return { nope: { _eq: 1 } }; }
    return { [f.name]: this.operator(c, f) };
  }

  operator(c: CollectionModel, f: FieldModel): Record<string, unknown> {
    const r = this.r;
    if (r.chance(0.05)) { this.bad('operator'); return { [r.pick(BAD_OPS)]: 1 }; }
    const stringy = ['string', 'text', 'csv', 'uuid', 'hash'].includes(f.type);
    const op = r.pick(stringy ? [...STRING_OPS, ...COMPARE_OPS] : COMPARE_OPS);
    const v = () => { const d = valueFor(r, c, f, 0.1); if (!d.ok) this.tags.add('edge-value'); return d.value; };
    switch (op) {
      case '_null': case '_nnull': case '_empty': case '_nempty': {
        const flag = r.chance(0.85) ? true : r.pick([false, 'true', 1, 'x']);
        if (typeof flag !== 'boolean') this.tags.add('edge-value');
        return { [op]: flag };
      }
      case '_in': case '_nin': {
        if (r.chance(0.08)) { this.tags.add('edge-value'); return { [op]: r.pick([[], 'a,b', 5]) }; }
        return { [op]: [v(), v()] };
      }
      case '_between': case '_nbetween': {
        if (r.chance(0.1)) { this.tags.add('edge-value'); return { [op]: r.pick([[1], 'a', [1, 2, 3]]) }; }
        return { [op]: [v(), v()] };
      }
      default: {
        if (r.chance(0.03)) { this.bad('dynamic'); return { [op]: r.pick(['$NOW', '$NOW(-1 day)', '$CURRENT_USER']) }; }
        return { [op]: v() };
      }
    }
  }

  filter(c: CollectionModel): Record<string, unknown> {
    const r = this.r;
    if (r.chance(0.04)) { this.bad('filter-shape'); return r.pick([{ _and: {} }, { _or: [] }, { title: 5 }, { id: { _eq: 1, _neq: 2 } }] as Record<string, unknown>[]); }
    if (r.chance(0.25)) {
      const parts = [this.condition(c, 0), this.condition(c, 0)];
      return { [r.pick(['_and', '_or'])]: r.chance(0.2) ? [{ _or: parts }, this.condition(c, 0)] : parts };
    }
    return this.condition(c, 0);
  }

  sort(c: CollectionModel): unknown {
    const r = this.r;
    if (r.chance(0.06)) { this.bad('sort'); return r.pick(['', ['', 'id'], ['nope'], 5, [{}]]); }
    return r.some([0, 1, 2], 2).map(() => (r.chance(0.4) ? '-' : '') + this.path(c, 0, true));
  }

  number(name: string, valid: readonly unknown[], edge: readonly unknown[], wrong: readonly unknown[]): unknown {
    const r = this.r;
    const x = r.next();
    if (x < 0.75) return r.pick(valid);
    if (x < 0.9) { this.tags.add(`edge-${name}`); return r.pick(edge); }
    this.bad(name);
    return r.pick(wrong);
  }

  aggregate(c: CollectionModel): Record<string, unknown> {
    const r = this.r;
    this.tags.add('aggregate');
    const numeric = stored(c).filter((f) => ['integer', 'bigInteger', 'float', 'decimal'].includes(f.type)).map((f) => f.name);
    const fn = r.pick(['count', 'countDistinct', 'sum', 'avg', 'min', 'max', 'sumDistinct', 'avgDistinct', 'countAll']);
    if (fn === 'countAll') return { countAll: r.chance(0.8) ? true : '*' };
    if (r.chance(0.05)) { this.bad('aggregate'); return { [r.pick(['median', 'count'])]: r.pick([5, {}, 'nope']) }; }
    const targets = fn === 'count' || fn === 'countDistinct' ? ['*', ...stored(c).map((f) => f.name)] : numeric.length ? numeric : ['*'];
    return { [fn]: r.chance(0.3) ? r.pick(targets) : r.some(targets, 2) };
  }

  groupBy(c: CollectionModel): unknown {
    const r = this.r;
    if (r.chance(0.08)) { this.bad('groupBy'); return r.pick(['', [], ['nope'], 5]); }
    return r.some(stored(c).map((f) => f.name), 2).map((n) => {
      const f = c.fields.find((x) => x.name === n)!;
      return DATE_TYPES.includes(f.type) && r.chance(0.3) ? `year(${n})` : n;
    });
  }

  deep(c: CollectionModel): Record<string, unknown> {
    const r = this.r;
    const link = c.links.find((l) => l.kind !== 'm2o') ?? c.links[0];
    this.tags.add('relational');
    if (!link) { this.bad('deep'); return { nope: { _limit: 1 } }; }
    const target = collectionOf(this.m, link.target);
    const inner: Record<string, unknown> = {};
    if (r.chance(0.6)) inner['_limit'] = this.number('deep-limit', [1, 2, -1], [0], ['x']);
    if (target && r.chance(0.5)) inner['_sort'] = [`-${target.pk}`];
    if (target && r.chance(0.4)) inner['_filter'] = this.condition(target, 2);
    if (r.chance(0.1)) { this.bad('deep'); inner['limit'] = 1; }
    return { [link.field]: inner };
  }

  alias(c: CollectionModel): Record<string, unknown> {
    const r = this.r;
    if (r.chance(0.2)) { this.bad('alias'); return r.pick([{ x: 5 }, { 'a.b': 'id' }, { id: 'name' }, { y: 'nope.deep' }] as Record<string, unknown>[]); }
    return { [r.pick(['aka', 'other'])]: r.pick(stored(c)).name };
  }
}

/** A read query (`wide` allows aggregates, groupBy and deep; a subscription gets a narrower one). */
export const drawQuery = (r: Random, m: SchemaModel, c: CollectionModel, wide = true): DrawnQuery => {
  const b = new Builder(r, m);
  const q: Record<string, unknown> = {};
  const aggregate = wide && r.chance(0.15);
  if (aggregate) {
    q['aggregate'] = b.aggregate(c);
    if (r.chance(0.5)) q['groupBy'] = b.groupBy(c);
  } else if (r.chance(0.7)) q['fields'] = b.fields(c);
  if (r.chance(0.5)) q['filter'] = b.filter(c);
  if (r.chance(0.35)) q['sort'] = b.sort(c);
  if (r.chance(0.35)) q['limit'] = b.number('limit', [1, 2, 5, -1, 100], [0, '2', 1.0, true, '', 2.5], [-2, 'abc', {}]);
  if (r.chance(0.2)) q['offset'] = b.number('offset', [0, 1, 3], ['1', 100], [-1, 'x']);
  if (r.chance(0.1)) q['page'] = b.number('page', [1, 2], ['2', 0], [-1, 'x']);
  if (r.chance(0.12)) { q['search'] = r.pick(['ham', 'a', '', '1', 'Berlin', 'zzz', 5]); b.tags.add('search'); }
  if (wide && r.chance(0.12)) { q['meta'] = b.number('meta', ['total_count', 'filter_count', '*'], [['total_count', 'filter_count']], ['nope', 5]); b.tags.add('meta'); }
  if (wide && r.chance(0.12)) q['deep'] = b.deep(c);
  if (r.chance(0.06)) q['alias'] = b.alias(c);
  if (r.chance(0.02)) { b.bad('unknown-param'); q[r.pick(['nope', 'backlink', 'export'])] = r.pick([true, 'csv', 1]); }
  if (!q['sort'] && !aggregate) b.tags.add('no-sort');
  return { query: q, ok: b.ok, tags: [...b.tags] };
};
