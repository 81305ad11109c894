// The select Directus builds for a read (getDBQuery + applyQuery), as knex renders it for Postgres:
// Postgres's errors reach the client behind the statement (`select … limit $2 - could not identify an
// ordering operator for type json`), so a read that fails there names it (the dialect's
// `statementInErrors`). Bindings are numbered in text order; join aliases are random in Directus
// (a tester normalises them), here a stable five-letter word per relational path.
// Covered: the root level's columns (fields, functions, relational counts), m2o joins for sort and
// filter, the filter (key filter of readOne/readMany included), search, order, group, aggregates,
// limit and offset. A read Directus builds differently (a to-many path in sort or filter: an inner
// query; a `_json` filter; an m2a scope) yields undefined, and the error keeps Postgres's words only.
import { m2oOf, o2mOf } from '../../relations.ts';
import type { Collection, PrimaryKey } from '../../types.ts';
import type { QueryContext } from '../shared/context.ts';
import type { Query } from '../shared/sanitize.ts';
import { parseFilter, type FilterNode } from '../filter/parse.ts';
import { parseFunction } from '../shared/values.ts';
import { buildFieldTree, type FieldNode } from './fields.ts';

/** How the read was asked for: by query, readOne (`pk = key` assigned into the filter) or readMany (`pk in keys`). */
export interface StatementShape {
  readonly keys?: readonly PrimaryKey[];
  readonly many: boolean;
  readonly limit: number | undefined;
}

class Unsupported {}
const unsupported = (): never => {
  throw new Unsupported();
};

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const ref = (table: string, column: string): string => `${q(table)}.${q(column)}`;

/** A stable stand-in for Directus's random join alias: five letters from the path. */
const aliasFor = (path: string): string => {
  let h = 2166136261;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 16777619) >>> 0;
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += String.fromCharCode(97 + (h % 26));
    h = Math.floor(h / 26) + (i + 1) * 7919;
  }
  return out;
};

const EXTRACT: Readonly<Record<string, string>> = {
  year: 'YEAR', month: 'MONTH', week: 'WEEK', day: 'DAY', weekday: 'DOW', hour: 'HOUR', minute: 'MINUTE', second: 'SECOND',
};

class Builder {
  private n = 0;
  readonly joins: string[] = [];
  private readonly aliases = new Map<string, { alias: string; collection: string }>();
  readonly ctx: QueryContext;
  readonly root: string;
  constructor(ctx: QueryContext, root: string) {
    this.ctx = ctx;
    this.root = root;
  }

  bind(): string {
    this.n += 1;
    return `$${this.n}`;
  }

  info(collection: string): Collection {
    return this.ctx.schema.collections[collection] ?? unsupported();
  }

  /** `fn(field)` of `table` (a collection or an alias of `collection`), as the function helper renders it. */
  fnColumn(table: string, collection: string, fn: string, field: string): string {
    const def = this.info(collection).fields[field] ?? unsupported();
    if (fn === 'count') {
      const o2m = o2mOf(this.ctx.schema, collection, field);
      if (o2m) {
        const alias = aliasFor(`count:${collection}.${field}`);
        const pk = this.info(collection).primary;
        return `(select count(*) from ${q(o2m.manyCollection)} as ${q(alias)} where ${ref(alias, o2m.manyField)} = ${ref(table, pk)})`;
      }
      if (def.type === 'json') return `json_array_length(${ref(table, field)})`;
      return unsupported();
    }
    const unit = Object.hasOwn(EXTRACT, fn) ? EXTRACT[fn] : unsupported();
    return `EXTRACT(${unit} FROM ${ref(table, field)}${def.type === 'timestamp' ? " AT TIME ZONE 'UTC'" : ''})`;
  }

  /** A column named by `key` of the root (`a.b.c` along m2o joins, `fn(f)` at its end). */
  column(path: readonly string[]): string {
    let table = this.root;
    let collection = this.root;
    for (let i = 0; i < path.length - 1; i++) {
      const step = this.join(path.slice(0, i + 1).join('.'), table, collection, path[i]!);
      table = step.alias;
      collection = step.collection;
    }
    const last = path[path.length - 1]!;
    const fn = parseFunction(last);
    if (fn) return this.fnColumn(table, collection, fn.fn, fn.field);
    if (!Object.hasOwn(this.info(collection).fields, last)) unsupported();
    return ref(table, last);
  }

  /** addJoin for one m2o step; a to-many step is an inner query Directus wraps the read in. */
  private join(path: string, table: string, collection: string, field: string): { alias: string; collection: string } {
    const known = this.aliases.get(path);
    if (known) return known;
    const m2o = m2oOf(this.ctx.schema, collection, field);
    if (!m2o || m2o.oneCollection === null) return unsupported();
    const target = m2o.oneCollection;
    const alias = aliasFor(path);
    this.joins.push(`left join ${q(target)} as ${q(alias)} on ${ref(table, field)} = ${ref(alias, this.info(target).primary)}`);
    const step = { alias, collection: target };
    this.aliases.set(path, step);
    return step;
  }

  /** Registers the joins a filter needs (addJoins runs before the where clauses are added). */
  filterJoins(node: FilterNode, path: readonly string[] = []): void {
    if (node.t === 'logic') {
      if (node.op === '_or' && node.items.some((i) => i.t === 'empty')) return;
      node.items.forEach((i) => this.filterJoins(i, path));
    } else if (node.t === 'field') {
      this.filterJoins(node.value, [...path, node.key]);
    } else if (node.t === 'quant') {
      unsupported();
    } else if (path.length > 1) {
      this.column(path);
    }
  }

  /** One where clause (without its leading boolean), or null when Directus adds none. */
  clause(node: FilterNode, path: readonly string[] = []): string | null {
    if (node.t === 'logic') {
      if (node.op === '_or' && node.items.some((i) => i.t === 'empty')) return null;
      return this.group(node.items, node.op === '_or' ? 'or' : 'and');
    }
    if (node.t === 'field') return this.clause(node.value, [...path, node.key]);
    if (node.t === 'quant') return unsupported();
    if (node.t !== 'op' || path.length === 0) return null;
    const last = path[path.length - 1]!;
    if (path.length === 1 && !parseFunction(last) && this.info(this.root).fields[last]?.alias) return unsupported();
    return this.operator(this.column(path), node.op, node.value);
  }

  /** `(a and b)`: a knex where group; an empty one is left out. */
  group(items: readonly FilterNode[], logical: 'and' | 'or'): string | null {
    const parts = this.joined(items, logical);
    return parts === null ? null : `(${parts})`;
  }

  joined(items: readonly FilterNode[], logical: 'and' | 'or'): string | null {
    const parts = items.map((i) => this.clause(i)).filter((p): p is string => p !== null);
    return parts.length === 0 ? null : parts.join(` ${logical} `);
  }

  private list(value: unknown): unknown[] {
    const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [value];
    return list.filter((v) => v !== undefined);
  }

  /** applyOperatorToRaw as knex renders each operator. */
  operator(col: string, op: string, value: unknown): string | null {
    if ((op === '_null' && value !== false) || (op === '_nnull' && value === false) || (op === '_eq' && value === null)) return `${col} is null`;
    if ((op === '_nnull' && value !== false) || (op === '_null' && value === false) || (op === '_neq' && value === null)) return `${col} is not null`;
    if ((op === '_empty' && value !== false) || (op === '_nempty' && value === false)) return `(${col} is null or ${col} = ${this.bind()})`;
    if ((op === '_nempty' && value !== false) || (op === '_empty' && value === false)) return `(${col} is not null and ${col} != ${this.bind()})`;
    if (value === undefined) return null;
    switch (op) {
      case '_eq': return `${col} = ${this.bind()}`;
      case '_neq': return `not ${col} = ${this.bind()}`;
      case '_gt': return `${col} > ${this.bind()}`;
      case '_gte': return `${col} >= ${this.bind()}`;
      case '_lt': return `${col} < ${this.bind()}`;
      case '_lte': return `${col} <= ${this.bind()}`;
      case '_contains': case '_starts_with': case '_ends_with': return `${col} like ${this.bind()}`;
      case '_ncontains': case '_nstarts_with': case '_nends_with': return `not ${col} like ${this.bind()}`;
      case '_icontains': case '_istarts_with': case '_iends_with': return `LOWER(${col}) LIKE ${this.bind()}`;
      case '_nicontains': case '_nistarts_with': case '_niends_with': return `LOWER(${col}) NOT LIKE ${this.bind()}`;
      case '_in': case '_nin': {
        const values = this.list(value);
        if (values.length === 0) return op === '_in' ? '1 = 0' : '1 = 1';
        return `${col} ${op === '_in' ? 'in' : 'not in'} (${values.map(() => this.bind()).join(', ')})`;
      }
      case '_between': case '_nbetween': {
        if (this.list(value).length !== 2) return null;
        return `${col} ${op === '_between' ? 'between' : 'not between'} ${this.bind()} and ${this.bind()}`;
      }
      default: return unsupported();
    }
  }
}

/** applySearch's conditions over the root's searchable fields (an admin's read: no permission cases). */
const searchClause = (b: Builder, search: string): string => {
  const info = b.info(b.root);
  const number = search.trim() !== '' && Number.isFinite(Number(search)) && String(Number(search)) === search;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(search);
  const parts: string[] = [];
  for (const name of info.fieldOrder) {
    const f = info.fields[name]!;
    if (!f.searchable || f.special.includes('conceal') || f.alias) continue;
    if (f.type === 'string' || f.type === 'text') parts.push(`LOWER(${ref(b.root, name)}) LIKE ${b.bind()}`);
    else if (['integer', 'bigInteger', 'float', 'decimal'].includes(f.type) && number) parts.push(`${ref(b.root, name)} = ${b.bind()}`);
    else if (f.type === 'uuid' && uuid) parts.push(`${ref(b.root, name)} = ${b.bind()}`);
  }
  return `(${parts.length ? parts.join(' or ') : '1 = 0'})`;
};

/** The columns a field tree selects at the root: m2o keys, functions, counts; the key is added last when missing. */
const treeColumns = (b: Builder, nodes: readonly FieldNode[]): string[] => {
  const info = b.info(b.root);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const node of nodes) {
    if (node.kind === 'o2m') continue;
    if (node.kind === 'a2o') return unsupported();
    if (node.kind === 'function' || node.kind === 'count') {
      out.push(`${b.fnColumn(b.root, b.root, node.kind === 'count' ? 'count' : node.fn, node.field)} AS ${q(node.key)}`);
      continue;
    }
    seen.add(node.field);
    out.push(node.key !== node.field ? `${ref(b.root, node.field)} as ${q(node.key)}` : ref(b.root, node.field));
  }
  if (!seen.has(info.primary)) out.push(ref(b.root, info.primary));
  return out;
};

const sortEntry = (b: Builder, entry: string, aggregate: Query['aggregate']): string => {
  const desc = entry.startsWith('-');
  const path = (desc ? entry.slice(1) : entry).split('.');
  const order = desc ? 'desc' : 'asc';
  if (aggregate && Object.hasOwn(aggregate, path[0]!)) {
    const fn = path[0]!;
    return fn === 'countAll' || (fn === 'count' && (path[1] === undefined || path[1] === '*')) ? `${q(fn)} ${order}` : `${q(`${fn}->${path[1]}`)} ${order}`;
  }
  if (path.length > 1 && o2mOf(b.ctx.schema, b.root, path[0]!)) unsupported();
  return `${b.column(path)} ${order}`;
};

const AGGREGATES = new Set(['count', 'countDistinct', 'avg', 'avgDistinct', 'sum', 'sumDistinct', 'min', 'max']);

const aggregateColumns = (b: Builder, aggregate: NonNullable<Query['aggregate']>): string[] => {
  const out: string[] = [];
  for (const [fn, fields] of Object.entries(aggregate)) {
    if (fn === 'countAll') {
      out.push('count(*) as "countAll"');
      continue;
    }
    if (!AGGREGATES.has(fn)) continue;
    for (const f of fields) {
      if (fn === 'count' && f === '*') {
        out.push('count(*) as "count"');
        continue;
      }
      const col = f === '*' ? `${q(b.root)}.*` : ref(b.root, f);
      const name = fn.replace('Distinct', '');
      const body = fn.endsWith('Distinct') && !(fn === 'countDistinct' && f === b.info(b.root).primary) ? `distinct ${col}` : col;
      out.push(`${name}(${body}) as ${q(`${fn}->${f}`)}`);
    }
  }
  return out;
};

/** The filter Directus runs: readOne assigns `pk = key` into the parsed filter, readMany wraps both in `_and`. */
const keyedClause = (b: Builder, filter: FilterNode | null, shape: StatementShape): string | null => {
  const pk = b.info(b.root).primary;
  const keys = shape.keys;
  if (keys === undefined) return filter ? b.clause(filter) : null;
  if (shape.many) {
    const inKeys = keys.length ? `${ref(b.root, pk)} in (${keys.map(() => b.bind()).join(', ')})` : '1 = 0';
    const rest = filter ? b.clause(filter) : null;
    return `(${rest ? `${inKeys} and ${rest}` : inKeys})`;
  }
  // lodash assign: the parsed filter's keys, then the key condition (replacing one on the key itself).
  const items = filter === null ? [] : filter.t === 'field' && filter.key !== pk ? [filter] : filter.t === 'logic' ? [filter] : [];
  const parts = items.map((i) => b.clause(i)).filter((p): p is string => p !== null);
  parts.push(`${ref(b.root, pk)} = ${b.bind()}`);
  return parts.join(' and ');
};

/**
 * The statement of a read as Directus on Postgres sends it, or undefined for a shape not modelled.
 * `query` is the read's query after sanitizing; `shape` says how the service asked for it.
 */
export const selectStatement = (ctx: QueryContext, collection: string, query: Query, shape: StatementShape): string | undefined => {
  try {
    const b = new Builder(ctx, collection);
    const info = b.info(collection);
    const parsed = query.filter === undefined ? null : parseFilter(query.filter, ctx);
    if (parsed !== null && !('t' in parsed)) return undefined;
    const aggregating = query.aggregate !== undefined || query.group !== undefined;
    const hasAggregate = query.aggregate !== undefined && Object.keys(query.aggregate).length > 0;
    const sort = query.sort ?? (hasAggregate && !query.group?.[0] ? [] : [query.group?.[0] ?? info.sortField ?? info.primary]);
    let columns: string[];
    let order: string[];
    if (aggregating) {
      // applyQuery: sort (its joins), filter, group, search, then the aggregate columns before the group fields.
      order = sort.map((s) => sortEntry(b, s, query.aggregate));
      if (parsed) b.filterJoins(parsed);
      columns = [
        ...aggregateColumns(b, query.aggregate ?? {}),
        ...(query.group ?? []).map((g) => {
          const fn = parseFunction(g);
          return fn ? `${b.fnColumn(collection, collection, fn.fn, fn.field)} AS ${q(`${fn.field}_${fn.fn}`)}` : ref(collection, g);
        }),
      ];
    } else {
      order = sort.map((s) => sortEntry(b, s, undefined));
      if (parsed) b.filterJoins(parsed);
      const tree = buildFieldTree(ctx, collection, query.fields ?? ['*'], { deep: query.deep, alias: query.alias, backlink: query.backlink });
      if (!Array.isArray(tree)) return undefined;
      columns = treeColumns(b, tree);
    }
    const where: string[] = [];
    const filtered = keyedClause(b, parsed, shape);
    if (filtered !== null) where.push(filtered);
    const groupBy = (query.group ?? []).map((g) => b.column([g]));
    if (query.search) where.push(searchClause(b, query.search));
    let text = `select ${columns.join(', ')} from ${q(collection)}`;
    if (b.joins.length) text += ` ${b.joins.join(' ')}`;
    if (where.length) text += ` where ${where.join(' and ')}`;
    if (groupBy.length) text += ` group by ${groupBy.join(', ')}`;
    if (order.length) text += ` order by ${order.join(', ')}`;
    const limit = shape.limit ?? query.limit;
    if (limit !== -1) text += ` limit ${b.bind()}`;
    if (query.offset || (query.page && query.limit && query.limit !== -1)) text += ` offset ${b.bind()}`;
    return text;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
};

/**
 * The first ORDER BY column of an aggregate read that Postgres refuses: neither grouped, nor an
 * aggregate's output, nor a column of the root when its key is grouped (functionally dependent).
 * Named as Postgres names it: `table.column`, a joined table by its alias.
 */
export const ungroupedSortColumn = (ctx: QueryContext, collection: string, query: Query): string | undefined => {
  const group = query.group ?? [];
  if (group.length === 0) return undefined;
  const info = ctx.schema.collections[collection];
  if (!info) return undefined;
  for (const entry of query.sort ?? []) {
    const spec = entry.startsWith('-') ? entry.slice(1) : entry;
    const path = spec.split('.');
    if (group.includes(spec) || (query.aggregate && Object.hasOwn(query.aggregate, path[0]!))) continue;
    const last = path[path.length - 1]!;
    const field = parseFunction(last)?.field ?? last;
    if (path.length === 1) {
      if (group.includes(info.primary)) continue;
      return `${collection}.${field}`;
    }
    if (o2mOf(ctx.schema, collection, path[0]!)) return undefined;
    return `${aliasFor(path.slice(0, -1).join('.'))}.${field}`;
  }
  return undefined;
};
