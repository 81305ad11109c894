// The select Directus builds for a read (getDBQuery + applyQuery), as knex writes it into a database
// error: `<statement> - <the database's words>` is the 500 an admin reads when the database refuses a
// read (`select … limit $2 - could not identify an ordering operator for type json` on Postgres,
// `` select … limit 100 - SQLITE_ERROR: malformed JSON `` on SQLite). The structure is the same on
// both; sql-text.ts writes it in each database's words (quoting, bindings, functions).
// Covered: the root level's columns (fields, functions, relational counts), m2o joins for sort and
// filter, o2m joins of aggregate reads, `_some`/`_none` subqueries, the filter (key filter of readOne
// and readMany included), search, order, group, aggregates, limit and offset. A read Directus builds
// differently (a to-many path in a plain read's sort or filter: an inner query; a `_json` filter; an
// m2a scope) yields undefined, and the error keeps the database's words only.
import { m2oOf, o2mOf } from '../../relations.ts';
import type { Collection, Field, PrimaryKey } from '../../types.ts';
import { dialectOfContext, type QueryContext } from '../shared/context.ts';
import type { Query } from '../shared/sanitize.ts';
import { parseFilter, type FilterNode } from '../filter/parse.ts';
import { parseFunction } from '../shared/values.ts';
import { keepsSort } from './aggregate.ts';
import { buildFieldTree, type FieldNode } from './fields.ts';
import { boundValue, likeValue, listValues, Unbound } from './statement-values.ts';
import { searchTerms } from './search.ts';
import { countAlias, isDatePart, joinAlias, queryAlias, sqlTextFor, type SqlText } from './sql-text.ts';

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

interface Joined {
  readonly alias: string;
  readonly collection: string;
}

/** A column a filter or sort names: its SQL and the field (with its collection) it reads, if a plain one. */
interface Column {
  readonly sql: string;
  readonly field?: Field;
  readonly fn?: string;
  /** What applySort records for it: the field at the root, `alias.field` through a join. */
  readonly record: string;
}

/** What applySort records for a column: its name at the root, `alias.name` through a join. */
const recordOf = (path: readonly string[], table: string, name: string): string => (path.length === 1 ? name : `${table}.${name}`);

/** getFilterPath: the keys along a filter's first chain, up to its operator. */
const firstChain = (node: FilterNode): string[] =>
  node.t === 'field' ? [node.key, ...firstChain(node.value)] : node.t === 'quant' ? [node.op, ...firstChain(node.value)] : [];

/** getOperation: whether a filter's first chain ends at an operator (a logical group or `{}` is none: no clause). */
const hasOperation = (node: FilterNode): boolean =>
  node.t === 'op' || ((node.t === 'field' || node.t === 'quant') && hasOperation(node.value));

class Builder {
  readonly joins: string[] = [];
  /** Whether a join was added (sort or filter); an o2m one makes the read multi-relational. */
  joined = false;
  multiRelational = false;
  private readonly aliases = new Map<string, Joined>();
  readonly ctx: QueryContext;
  readonly root: string;
  readonly sql: SqlText;
  constructor(ctx: QueryContext, root: string, sql: SqlText) {
    this.ctx = ctx;
    this.root = root;
    this.sql = sql;
  }

  info(collection: string): Collection {
    return this.ctx.schema.collections[collection] ?? unsupported();
  }

  ref(table: string, column: string): string {
    return `${this.sql.id(table)}.${this.sql.id(column)}`;
  }

  /** `fn(field)` of `table` (a collection or an alias of `collection`), as the function helper writes it. */
  fnColumn(table: string, collection: string, fn: string, field: string, selected: boolean): string {
    const def = this.info(collection).fields[field] ?? unsupported();
    if (fn === 'count') {
      const o2m = o2mOf(this.ctx.schema, collection, field);
      if (o2m) {
        const alias = countAlias(table, field, collection, selected);
        const pk = this.info(collection).primary;
        return `(select count(*) from ${this.sql.id(o2m.manyCollection)} as ${this.sql.id(alias)} where ${this.ref(alias, o2m.manyField)} = ${this.ref(table, pk)})`;
      }
      if (def.type === 'json') return this.sql.jsonLength(this.ref(table, field));
      return unsupported();
    }
    return isDatePart(fn) ? this.sql.datePart(fn, this.ref(table, field), def.type) : unsupported();
  }

  /** The table a path's last part is read from, joining every relation before it. */
  tableOf(path: readonly string[]): Joined {
    let at: Joined = { alias: this.root, collection: this.root };
    for (let i = 0; i < path.length - 1; i++) at = this.join(path, i, at);
    return at;
  }

  /**
   * A column named by a path of the root (`a.b.c` along joins, `fn(f)` at its end); a path ending at
   * an o2m alias joins it too and reads its key (getColumnPath's nested primary key).
   */
  column(path: readonly string[]): Column {
    const from = this.tableOf(path);
    const last = path[path.length - 1]!;
    const fn = parseFunction(last);
    if (fn) return { sql: this.fnColumn(from.alias, from.collection, fn.fn, fn.field, false), fn: fn.fn, record: recordOf(path, from.alias, last) };
    const info = this.info(from.collection);
    if (!Object.hasOwn(info.fields, last)) unsupported();
    // addJoin follows every relation of a path, its last part too: an m2o there is joined, unread.
    if (path.length > 1 && !info.fields[last]!.alias && m2oOf(this.ctx.schema, from.collection, last)?.oneCollection) this.join(path, path.length - 1, from);
    if (info.fields[last]!.alias) {
      const step = this.join(path, path.length - 1, from);
      const target = this.info(step.collection);
      return { sql: this.ref(step.alias, target.primary), field: target.fields[target.primary]!, record: `${step.alias}.${target.primary}` };
    }
    return { sql: this.ref(from.alias, last), field: info.fields[last]!, record: recordOf(path, from.alias, last) };
  }

  /** addJoin for step `i` of `path` (known steps reuse their alias, as Directus's alias map does). */
  join(path: readonly string[], i: number, from: Joined): Joined {
    const key = path.slice(0, i + 1).join('.');
    const known = this.aliases.get(key);
    if (known) return known;
    const field = path[i]!;
    const parentFields = path.slice(0, i).join('.');
    const m2o = m2oOf(this.ctx.schema, from.collection, field);
    let step: Joined;
    if (m2o && m2o.oneCollection !== null) {
      const target = m2o.oneCollection;
      step = { alias: joinAlias(from.collection, path.slice(i), 'm2o', parentFields), collection: target };
      this.joins.push(`left join ${this.sql.id(target)} as ${this.sql.id(step.alias)} on ${this.ref(from.alias, field)} = ${this.ref(step.alias, this.info(target).primary)}`);
    } else {
      const o2m = o2mOf(this.ctx.schema, from.collection, field);
      if (!o2m) return unsupported();
      step = { alias: joinAlias(from.collection, path.slice(i), 'o2m', parentFields), collection: o2m.manyCollection };
      this.joins.push(`left join ${this.sql.id(o2m.manyCollection)} as ${this.sql.id(step.alias)} on ${this.ref(from.alias, this.info(from.collection).primary)} = ${this.ref(step.alias, o2m.manyField)}`);
      this.multiRelational = true;
    }
    this.joined = true;
    this.aliases.set(key, step);
    return step;
  }

  /** Whether `field` of the root is an alias (o2m) field: a path of one part is then joined too. */
  private isAlias(field: string): boolean {
    return parseFunction(field) === null && this.info(this.root).fields[field]?.alias === true;
  }

  /** addJoins: registers the joins a filter needs before any where clause is added. */
  filterJoins(node: FilterNode, path: readonly string[] = []): void {
    if (node.t === 'logic') {
      if (node.op === '_or' && node.items.some((i) => i.t === 'empty')) return;
      node.items.forEach((i) => this.filterJoins(i, path));
    } else if (node.t === 'field') {
      this.filterJoins(node.value, [...path, node.key]);
    } else if (node.t === 'quant') {
      // `_some`/`_none` on a top-level o2m is a subquery; anywhere else Directus refuses it first.
      // The relation is joined all the same (getFilterPath runs on through the quantifier).
      if (path.length !== 1) unsupported();
      this.join([...path, node.op, ...firstChain(node.value)], 0, { alias: this.root, collection: this.root });
    } else if (path.length > 1 || (path.length === 1 && this.isAlias(path[0]!))) {
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
    if (node.t === 'quant') return hasOperation(node.value) ? this.quantified(path, node.op, node.value) : null;
    if (node.t !== 'op' || path.length === 0) return null;
    return this.operator(this.column(path), node.op, node.value);
  }

  /** `_some`/`_none` of an o2m: the key in (or not in) the related rows' foreign keys that pass the filter. */
  private quantified(path: readonly string[], op: '_some' | '_none', filter: FilterNode): string {
    const o2m = path.length === 1 ? o2mOf(this.ctx.schema, this.root, path[0]!) : undefined;
    if (!o2m) return unsupported();
    const inner = new Builder(this.ctx, o2m.manyCollection, this.sql);
    inner.filterJoins(filter);
    const column = inner.ref(o2m.manyCollection, o2m.manyField);
    const where = [`${column} is not null`];
    const clause = inner.clause(filter);
    if (clause !== null) where.push(clause);
    const sub = `select ${column} as ${this.sql.id(o2m.manyField)} from ${this.sql.id(o2m.manyCollection)}${inner.joins.map((j) => ` ${j}`).join('')} where ${where.join(' and ')}`;
    return `${this.ref(this.root, this.info(this.root).primary)} ${op === '_some' ? 'in' : 'not in'} (${sub})`;
  }

  /** `(a and b)`: a knex where group; an empty one is left out. */
  group(items: readonly FilterNode[], logical: 'and' | 'or'): string | null {
    const parts = this.sequence(items, logical);
    return parts === null ? null : `(${parts})`;
  }

  sequence(items: readonly FilterNode[], logical: 'and' | 'or'): string | null {
    const parts = items.map((i) => this.clause(i)).filter((p): p is string => p !== null);
    return parts.length === 0 ? null : parts.join(` ${logical} `);
  }

  /** A bound value's place; a value Directus would not bind leaves the statement unknown. */
  bound(v: unknown): string {
    return v instanceof Unbound ? unsupported() : this.sql.bind(v);
  }

  /** applyOperatorToRaw as knex writes each operator, with the value applyOperator binds. */
  operator(column: Column, op: string, raw: unknown): string | null {
    const col = column.sql;
    if ((op === '_null' && raw !== false) || (op === '_nnull' && raw === false) || (op === '_eq' && raw === null)) return `${col} is null`;
    if ((op === '_nnull' && raw !== false) || (op === '_null' && raw === false) || (op === '_neq' && raw === null)) return `${col} is not null`;
    if ((op === '_empty' && raw !== false) || (op === '_nempty' && raw === false)) return `(${col} is null or ${col} = ${this.sql.bind('')})`;
    if ((op === '_nempty' && raw !== false) || (op === '_empty' && raw === false)) return `(${col} is not null and ${col} != ${this.sql.bind('')})`;
    if (raw === undefined) return null;
    const value = boundValue(column.field?.type, column.fn, raw);
    switch (op) {
      case '_eq': return `${col} = ${this.bound(value)}`;
      case '_neq': return `not ${col} = ${this.bound(value)}`;
      case '_gt': return `${col} > ${this.bound(value)}`;
      case '_gte': return `${col} >= ${this.bound(value)}`;
      case '_lt': return `${col} < ${this.bound(value)}`;
      case '_lte': return `${col} <= ${this.bound(value)}`;
      case '_ieq': return `LOWER(${col}) = ${this.bound(likeValue(value, '', '', true))}`;
      case '_nieq': return `LOWER(${col}) <> ${this.bound(likeValue(value, '', '', true))}`;
      case '_contains': return `${col} like ${this.bound(likeValue(value, '%', '%', false))}`;
      case '_starts_with': return `${col} like ${this.bound(likeValue(value, '', '%', false))}`;
      case '_ends_with': return `${col} like ${this.bound(likeValue(value, '%', '', false))}`;
      case '_ncontains': return `not ${col} like ${this.bound(likeValue(value, '%', '%', false))}`;
      case '_nstarts_with': return `not ${col} like ${this.bound(likeValue(value, '', '%', false))}`;
      case '_nends_with': return `not ${col} like ${this.bound(likeValue(value, '%', '', false))}`;
      case '_icontains': return `LOWER(${col}) LIKE ${this.bound(likeValue(value, '%', '%', true))}`;
      case '_istarts_with': return `LOWER(${col}) LIKE ${this.bound(likeValue(value, '', '%', true))}`;
      case '_iends_with': return `LOWER(${col}) LIKE ${this.bound(likeValue(value, '%', '', true))}`;
      case '_nicontains': return `LOWER(${col}) NOT LIKE ${this.bound(likeValue(value, '%', '%', true))}`;
      case '_nistarts_with': return `LOWER(${col}) NOT LIKE ${this.bound(likeValue(value, '', '%', true))}`;
      case '_niends_with': return `LOWER(${col}) NOT LIKE ${this.bound(likeValue(value, '%', '', true))}`;
      case '_in': case '_nin': {
        const values = listValues(value);
        if (values instanceof Unbound) return unsupported();
        if (values.length === 0) return op === '_in' ? '1 = 0' : '1 = 1';
        return `${col} ${op === '_in' ? 'in' : 'not in'} (${values.map((v) => this.bound(v)).join(', ')})`;
      }
      case '_between': case '_nbetween': {
        const values = listValues(value);
        if (values instanceof Unbound) return unsupported();
        if (values.length !== 2) return null;
        return `${col} ${op === '_between' ? 'between' : 'not between'} ${this.bound(values[0])} and ${this.bound(values[1])}`;
      }
      default: return unsupported();
    }
  }
}

/** applySearch's conditions over the root's searchable fields (an admin's read: no permission cases). */
const searchClause = (b: Builder, search: string): string => {
  const terms = searchTerms(search, b.root, b.ctx);
  if (!Array.isArray(terms)) return unsupported();
  const parts = terms.map((t) => (t.like
    ? `LOWER(${b.ref(b.root, t.field)}) LIKE ${b.sql.bind(`%${search.toLowerCase()}%`)}`
    // The SQLite number helper binds a number beyond 2^53 as its text.
    : `${b.ref(b.root, t.field)} = ${b.sql.bind(typeof t.value === 'number' && Math.abs(t.value) > Number.MAX_SAFE_INTEGER ? String(t.value) : t.value)}`));
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
      out.push(`${b.fnColumn(b.root, b.root, node.kind === 'count' ? 'count' : node.fn, node.field, true)} AS ${b.sql.id(node.key)}`);
      continue;
    }
    seen.add(node.field);
    out.push(node.key !== node.field ? `${b.ref(b.root, node.field)} as ${b.sql.id(node.key)}` : b.ref(b.root, node.field));
  }
  if (!seen.has(info.primary)) out.push(b.ref(b.root, info.primary));
  return out;
};

interface SortRecord {
  readonly sql: string;
  readonly fn: string | undefined;
  readonly record: string;
  readonly order: 'asc' | 'desc';
}

/** applySort's record of one entry of a plain read. */
const sortRecord = (b: Builder, entry: string): SortRecord => {
  const desc = entry.startsWith('-');
  const column = b.column((desc ? entry.slice(1) : entry).split('.'));
  return { sql: column.sql, fn: column.fn, record: column.record, order: desc ? 'desc' : 'asc' };
};

/**
 * A plain read with a to-many join (in its sort or filter) as getDBQuery wraps it: an inner query
 * selects the distinct keys with each sort column under an alias (and, for a to-many sort, each
 * key's first row by row_number), the outer one reads the fields of those rows in the inner order.
 */
const innerRead = (
  b: Builder, query: Query, sort: readonly string[], records: readonly SortRecord[], multiSort: boolean, columns: readonly string[], body: string, shape: StatementShape,
): string => {
  const pkName = b.info(b.root).primary;
  const pk = b.ref(b.root, pkName);
  const inner = b.sql.id('inner');
  const rowNumber = b.sql.id('directus_row_number');
  const aliases = records.map((r, i) => queryAlias(b.root, `sort_${i}_${r.record}_${r.order}`, { sort, group: query.group, aggregate: query.aggregate }));
  const ordered = records.map((r) => `${r.sql} ${r.order}`);
  const selected = [pk, ...records.map((r, i) => `${r.sql} ${r.fn ? 'AS' : 'as'} ${b.sql.id(aliases[i]!)}`)];
  if (multiSort) selected.push(`row_number() over (partition by ${pk} order by ${ordered.join(', ')}) as ${rowNumber}`);
  const innerOrder = multiSort ? [`${rowNumber} asc`, ...ordered] : ordered;
  const text = `select distinct ${selected.join(', ')}${body}${innerOrder.length ? ` order by ${innerOrder.join(', ')}` : ''}${paging(b, query, shape)}`;
  let outer = `select ${columns.join(', ')} from ${b.sql.id(b.root)} inner join (${text}) as ${inner} on ${pk} = ${inner}.${b.sql.id(pkName)}`;
  if (multiSort) outer += ` where ${inner}.${rowNumber} = ${b.sql.bind(1)}`;
  if (records.length) outer += ` order by ${records.map((r, i) => `${inner}.${b.sql.id(aliases[i]!)} ${r.order}`).join(', ')}`;
  const limit = shape.limit ?? query.limit ?? -1;
  if (multiSort && limit !== -1) outer += ` limit ${b.sql.bind(limit)}`;
  return outer;
};

/** applySort's column for one entry: an aggregate's output by its name, else a column along its joins. */
const sortEntry = (b: Builder, entry: string, aggregate: Query['aggregate']): string => {
  const desc = entry.startsWith('-');
  const path = (desc ? entry.slice(1) : entry).split('.');
  const order = desc ? 'desc' : 'asc';
  if (aggregate && Object.hasOwn(aggregate, path[0]!)) {
    const fn = path[0]!;
    const name = fn === 'countAll' || (fn === 'count' && (path[1] === undefined || path[1] === '*')) ? fn : `${fn}->${path[1]}`;
    return `${b.sql.id(name)} ${order}`;
  }
  return `${b.column(path).sql} ${order}`;
};

const AGGREGATES = new Set(['count', 'countDistinct', 'avg', 'avgDistinct', 'sum', 'sumDistinct', 'min', 'max']);

const asName = (b: Builder, name: string): string => `as ${b.sql.id(name)}`;

/** applyAggregate: a count deduplicates by the key once a to-many join multiplies the rows. */
const aggregateColumns = (b: Builder, aggregate: NonNullable<Query['aggregate']>): string[] => {
  const out: string[] = [];
  const pk = b.info(b.root).primary;
  const rootPk = b.ref(b.root, pk);
  for (const [fn, fields] of Object.entries(aggregate)) {
    if (fn === 'countAll') {
      out.push(b.multiRelational ? `count(distinct ${rootPk}) ${asName(b, 'countAll')}` : `count(*) ${asName(b, 'countAll')}`);
      continue;
    }
    if (!AGGREGATES.has(fn)) continue;
    for (const f of fields) {
      if (fn === 'count' && f === '*') {
        out.push(b.multiRelational ? `count(distinct ${rootPk}) ${asName(b, 'count')}` : `count(*) ${asName(b, 'count')}`);
        continue;
      }
      const col = b.sql.id(`${b.root}.${f}`);
      if (fn === 'count' && b.multiRelational && f === pk) {
        out.push(`count(distinct ${col}) ${asName(b, `count->${f}`)}`);
        continue;
      }
      if (fn === 'countDistinct' && !b.joined && f === pk) {
        out.push(`count(${col}) ${asName(b, `countDistinct->${f}`)}`);
        continue;
      }
      const distinct = fn.endsWith('Distinct');
      out.push(`${fn.replace('Distinct', '')}(${distinct ? 'distinct ' : ''}${col}) ${asName(b, `${fn}->${f}`)}`);
    }
  }
  return out;
};

/** The filter Directus runs: readOne assigns `pk = key` into the parsed filter, readMany wraps both in `_and`. */
const keyedClause = (b: Builder, filter: FilterNode | null, shape: StatementShape): string | null => {
  const pk = b.info(b.root).primary;
  const keys = shape.keys;
  if (keys === undefined) return filter ? b.clause(filter) : null;
  const pkColumn = b.ref(b.root, pk);
  if (shape.many) {
    const inKeys = keys.length ? `${pkColumn} in (${keys.map((k) => b.sql.bind(k)).join(', ')})` : '1 = 0';
    const rest = filter ? b.clause(filter) : null;
    return `(${rest ? `${inKeys} and ${rest}` : inKeys})`;
  }
  // lodash assign: the parsed filter's keys, then the key condition (replacing one on the key itself).
  const items = filter === null ? [] : filter.t === 'field' && filter.key !== pk ? [filter] : filter.t === 'logic' ? [filter] : [];
  const parts = items.map((i) => b.clause(i)).filter((p): p is string => p !== null);
  parts.push(`${pkColumn} = ${b.sql.bind(keys[0])}`);
  return parts.join(' and ');
};

/** limit and offset as knex writes them (SQLite: an offset without a limit needs `limit -1`). */
const paging = (b: Builder, query: Query, shape: StatementShape): string => {
  const limit = shape.limit ?? query.limit ?? -1;
  // applyQuery: the offset, then a page's offset over it (knex keeps the last; 0 writes nothing).
  let offset = query.offset ?? 0;
  if (query.page && limit !== -1) offset = limit * (query.page - 1);
  let text = '';
  if (limit !== -1) text += ` limit ${b.sql.bind(limit)}`;
  else if (offset && dialectOfContext(b.ctx).name === 'sqlite') text += ` limit ${b.sql.bind(-1)}`;
  if (offset) text += ` offset ${b.sql.bind(offset)}`;
  return text;
};

/**
 * The statement of a read as Directus sends it to the context's database, or undefined for a shape
 * not modelled. `query` is the read's query after sanitizing; `shape` says how the service asked for it.
 */
export const selectStatement = (ctx: QueryContext, collection: string, query: Query, shape: StatementShape): string | undefined => {
  try {
    const b = new Builder(ctx, collection, sqlTextFor(dialectOfContext(ctx)));
    const info = b.info(collection);
    const parsed = query.filter === undefined ? null : parseFilter(query.filter, ctx);
    if (parsed !== null && !('t' in parsed)) return undefined;
    const aggregating = query.aggregate !== undefined || query.group !== undefined;
    const sort = keepsSort(query) ? query.sort ?? [query.group?.[0] ?? info.sortField ?? info.primary] : [];
    let columns: string[];
    // getDBQuery: the sort (its joins) first, then the filter's joins, then the where clauses.
    const records = aggregating ? [] : sort.map((s) => sortRecord(b, s));
    const order = aggregating ? sort.map((s) => sortEntry(b, s, query.aggregate)) : records.map((r) => `${r.sql} ${r.order}`);
    const multiSort = b.multiRelational;
    if (parsed) b.filterJoins(parsed);
    if (aggregating) {
      // applyQuery's group and search come before the aggregate columns, which precede the group fields.
      columns = [
        ...aggregateColumns(b, query.aggregate ?? {}),
        ...(query.group ?? []).map((g) => {
          const fn = parseFunction(g);
          return fn ? `${b.fnColumn(collection, collection, fn.fn, fn.field, true)} AS ${b.sql.id(`${fn.field}_${fn.fn}`)}` : b.ref(collection, g);
        }),
      ];
    } else {
      const tree = buildFieldTree(ctx, collection, query.fields ?? ['*'], { deep: query.deep, alias: query.alias, backlink: query.backlink });
      if (!Array.isArray(tree)) return undefined;
      columns = treeColumns(b, tree);
    }
    const where: string[] = [];
    const filtered = keyedClause(b, parsed, shape);
    if (filtered !== null) where.push(filtered);
    const groupBy = (query.group ?? []).map((g) => b.column([g]).sql);
    if (query.search) where.push(searchClause(b, query.search));
    let body = ` from ${b.sql.id(collection)}`;
    if (b.joins.length) body += ` ${b.joins.join(' ')}`;
    if (where.length) body += ` where ${where.join(' and ')}`;
    if (groupBy.length) body += ` group by ${groupBy.join(', ')}`;
    if (!aggregating && b.multiRelational) return innerRead(b, query, sort, records, multiSort, columns, body, shape);
    let text = `select ${columns.join(', ')}${body}`;
    if (order.length) text += ` order by ${order.join(', ')}`;
    return text + paging(b, query, shape);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
};

const ungroupedColumn = (table: string, column: string): string =>
  `column "${table}.${column}" must appear in the GROUP BY clause or be used in an aggregate function`;

/**
 * Postgres's words for the first ORDER BY entry of an aggregate read it refuses: a column neither
 * grouped, nor an aggregate's output, nor of the root when its key is grouped (functionally
 * dependent). A joined table is named by its alias; a path ending at an o2m reads the related key; a
 * relational count is a subquery reading its table's key.
 */
export const ungroupedSortFailure = (ctx: QueryContext, collection: string, query: Query): string | undefined => {
  const group = query.group ?? [];
  if (group.length === 0) return undefined;
  const info = ctx.schema.collections[collection];
  if (!info) return undefined;
  const b = new Builder(ctx, collection, sqlTextFor(dialectOfContext(ctx)));
  const keyGrouped = group.includes(info.primary);
  try {
    for (const entry of query.sort ?? []) {
      const spec = entry.startsWith('-') ? entry.slice(1) : entry;
      const path = spec.split('.');
      if (query.aggregate && Object.hasOwn(query.aggregate, path[0]!)) continue;
      // Each sort path joins in turn: a later one reuses the alias an earlier one gave a relation.
      const from = b.tableOf(path);
      if (group.includes(spec)) continue;
      const last = path[path.length - 1]!;
      const fn = parseFunction(last);
      let failure: string | undefined;
      if (fn?.fn === 'count' && o2mOf(ctx.schema, from.collection, fn.field)) {
        const pk = b.info(from.collection).primary;
        failure = from.alias === collection && keyGrouped ? undefined : `subquery uses ungrouped column "${from.alias}.${pk}" from outer query`;
      } else if (!fn && b.info(from.collection).fields[last]?.alias) {
        const step = b.join(path, path.length - 1, from);
        failure = ungroupedColumn(step.alias, b.info(step.collection).primary);
      } else {
        failure = from.alias === collection && keyGrouped ? undefined : ungroupedColumn(from.alias, fn?.field ?? last);
      }
      if (failure !== undefined) return failure;
    }
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  return undefined;
};
