// A parsed filter → a sift query over the whitelisted operations (operations.ts), with the
// checks Directus's applyFilter makes on the way: operator allowed for the field type, numeric
// values that parse, functions the type offers, `_some`/`_none` only on a top-level o2m alias.
// Values are cast and converted to what SQLite would compare here, once.
import { DatabaseFailure, invalidQuery, JOINED_JSON_COUNT, Silent, type Failure } from '../../errors.ts';
import { a2oOf, followRelation } from '../../relations.ts';
import { m2oRelation, o2mRelation } from '../../schema.ts';
import type { Field, FieldType, Relation } from '../../types.ts';
import { dialectOfContext, extendContext, type QueryContext } from '../shared/context.ts';
import type { SiftQuery, Source } from './operations.ts';
import type { FilterNode } from './parse.ts';
import { parseFilterKey } from '../shared/field-paths.ts';
import { dateValue, Instant, kindOf, sqlValue, toNumber, type Kind } from './values.ts';
import { likePattern } from './like.ts';
import { boundText, driverText, isUuidColumn, postgresArrayText, postgresBoolean, postgresDateInput, postgresUuid } from '../../postgres-column.ts';
import { jsonPath } from './json-filter.ts';
import { functionsForType } from '../shared/values.ts';

/**
 * Thrown while compiling; compileFilter returns its error. `deferred`: Directus meets it only when
 * knex compiles the query (inside an `_and`/`_or` group or a `_some`/`_none` subquery), after the
 * read's fields and sort have been turned into columns.
 */
export class CompileError {
  readonly error: Failure;
  readonly deferred: boolean;
  constructor(error: Failure, deferred = false) {
    this.error = error;
    this.deferred = deferred;
  }
}

/** Runs `compile` as a part Directus builds in a knex callback: its errors come late. */
const later = <T>(compile: () => T): T => {
  try {
    return compile();
  } catch (error) {
    if (error instanceof CompileError && !error.deferred) throw new CompileError(error.error, true);
    throw error;
  }
};

const fail = (error: Failure): never => {
  throw new CompileError(error);
};

/** null: this part adds no constraint (Directus skips it). */
type Compiled = SiftQuery | null;

interface Scope {
  readonly collection: string;
  /** Reached along a path from the filter's (or a subquery's) top level: `_some`/`_none` are refused here. */
  readonly nested?: boolean;
}

const STRING_OPS = ['contains', 'ncontains', 'icontains', 'starts_with', 'nstarts_with', 'istarts_with', 'nistarts_with',
  'ends_with', 'nends_with', 'iends_with', 'niends_with', 'eq', 'neq', 'empty', 'nempty', 'null', 'nnull', 'in', 'nin'];
const ORDERED_OPS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'nbetween', 'null', 'nnull', 'in', 'nin'];
const DEFAULT_OPS = ['contains', 'ncontains', 'eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'nbetween', 'empty', 'nempty',
  'null', 'nnull', 'in', 'nin'];
const HASH_OPS = ['empty', 'nempty', 'null', 'nnull'];

/** getFilterOperatorsForType as Directus 12.4 has it (no `_gt` on strings, `timestamp` in the default group). */
const operatorsFor = (type: FieldType): readonly string[] => {
  switch (type) {
    case 'binary': case 'string': case 'text': case 'csv': return STRING_OPS;
    case 'hash': return HASH_OPS;
    case 'uuid': return ['eq', 'neq', 'null', 'nnull', 'in', 'nin'];
    case 'json': return ['null', 'nnull', 'json'];
    case 'boolean': return ['eq', 'neq', 'null', 'nnull'];
    case 'bigInteger': case 'integer': case 'decimal': case 'float': case 'dateTime': case 'date': case 'time': return ORDERED_OPS;
    case 'geometry': return ['eq', 'neq', 'null', 'nnull', 'intersects', 'nintersects', 'intersects_bbox', 'nintersects_bbox'];
    default: return DEFAULT_OPS;
  }
};

const validateOperator = (type: FieldType, op: string, special: readonly string[]): void => {
  const name = op.slice(1);
  if (!operatorsFor(type).includes(name)) fail(invalidQuery(`"${type}" field type does not contain the "${op}" filter operator`));
  if (special.includes('conceal') && !HASH_OPS.includes(name)) {
    fail(invalidQuery(`Field with "conceal" special does not allow the "${op}" filter operator`));
  }
};

const invalidKey = (key: string, collection: string): never => fail(invalidQuery(`Invalid filter key "${key}" on "${collection}"`));

const NUMERIC_CAST: ReadonlySet<FieldType> = new Set(['integer', 'float', 'decimal']);
const DATE_TYPES: ReadonlySet<FieldType> = new Set(['date', 'dateTime', 'time', 'timestamp']);

/** `${value}` as Directus interpolates it into a LIKE pattern. */
const patternText = (value: unknown): string => (value instanceof Instant ? new Date(value.ms).toISOString() : String(value));

const LIKE_OPS: Readonly<Record<string, { kind: 'contains' | 'starts_with' | 'ends_with'; negate: boolean; lower: boolean }>> = {
  _contains: { kind: 'contains', negate: false, lower: false },
  _ncontains: { kind: 'contains', negate: true, lower: false },
  _icontains: { kind: 'contains', negate: false, lower: true },
  _starts_with: { kind: 'starts_with', negate: false, lower: false },
  _nstarts_with: { kind: 'starts_with', negate: true, lower: false },
  _istarts_with: { kind: 'starts_with', negate: false, lower: true },
  _nistarts_with: { kind: 'starts_with', negate: true, lower: true },
  _ends_with: { kind: 'ends_with', negate: false, lower: false },
  _nends_with: { kind: 'ends_with', negate: true, lower: false },
  _iends_with: { kind: 'ends_with', negate: false, lower: true },
  _niends_with: { kind: 'ends_with', negate: true, lower: true },
};

const COMPARISONS: Readonly<Record<string, string>> = { _eq: '$deq', _neq: '$dneq', _lt: '$dlt', _lte: '$dlte', _gt: '$dgt', _gte: '$dgte' };

/** A filter value cast as the column compares it: a number for numeric casts, an Instant for dates. */
const prepareValue = (v: unknown, numeric: boolean, dates: boolean): unknown => {
  if (numeric) {
    const n = toNumber(v);
    return Number.isNaN(n) ? fail(invalidQuery('Invalid numeric value')) : n;
  }
  return dates ? dateValue(v) : v;
};

/** The values of a list operator (`_in`, `_between`…): an array, or a comma-separated string. */
const valueList = (prepared: unknown): unknown[] =>
  Array.isArray(prepared) ? prepared : typeof prepared === 'string' ? prepared.split(',') : [prepared];

/** One operator on one column (or function of a column): applyOperator. */
const compileLeaf = (source: Source, type: FieldType, op: string, value: unknown, numeric: boolean, dates: boolean): Compiled => {
  const kind: Kind = source.kind;
  // Operators that need no value; `_null: false` flips, anything else means true.
  if ((op === '_null' && value !== false) || (op === '_nnull' && value === false) || (op === '_eq' && value === null)) return { $dnull: { source } };
  if ((op === '_nnull' && value !== false) || (op === '_null' && value === false) || (op === '_neq' && value === null)) return { $dnnull: { source } };
  if ((op === '_empty' && value !== false) || (op === '_nempty' && value === false)) return { $dempty: { source } };
  if ((op === '_nempty' && value !== false) || (op === '_empty' && value === false)) return { $dnempty: { source } };
  if (value === undefined) return null;

  const prepared = Array.isArray(value) ? value.map((v) => prepareValue(v, numeric, dates)) : prepareValue(value, numeric, dates);

  const comparison = Object.hasOwn(COMPARISONS, op) ? COMPARISONS[op] : undefined;
  if (comparison !== undefined) return { [comparison]: { source, value: sqlValue(kind, prepared) } } as SiftQuery;

  const like = Object.hasOwn(LIKE_OPS, op) ? LIKE_OPS[op]! : undefined;
  if (like) {
    // Directus lower-cases the value with `compareValue.toLowerCase()`: anything but a string throws
    // while the SQL is built (a 500, nothing over WebSocket).
    if (like.lower && typeof prepared !== 'string') {
      return fail(new Silent(prepared === null ? "Cannot read properties of null (reading 'toLowerCase')" : 'compareValue.toLowerCase is not a function'));
    }
    const text = patternText(prepared);
    const pattern = likePattern(like.kind, like.lower ? text.toLowerCase() : text);
    const args = { source, patterns: [pattern], lower: like.lower };
    return like.negate ? { $dnlike: args } : { $dlike: args };
  }
  if (op === '_in' || op === '_nin') {
    const values = valueList(prepared);
    if (type === 'csv') {
      // A CSV column matches each value as one comma-separated entry (LIKE, as Directus does it).
      const patterns = values.flatMap((v) => [`${patternText(v)}`, `${patternText(v)},%`, `%,${patternText(v)}`, `%,${patternText(v)},%`]);
      return op === '_in' ? { $dlike: { source, patterns } } : { $dnlike: { source, patterns } };
    }
    if (values.length === 0) return op === '_in' ? { $dconst: false } : null;
    return { [op === '_in' ? '$din' : '$dnin']: { source, values: values.map((v) => sqlValue(kind, v)) } } as SiftQuery;
  }
  if (op === '_between' || op === '_nbetween') {
    const values = valueList(prepared);
    if (values.length !== 2) return null;
    const bounds = { source, low: sqlValue(kind, values[0]), high: sqlValue(kind, values[1]) };
    return op === '_between' ? { $dbetween: bounds } : { $dnbetween: bounds };
  }
  return fail(invalidQuery(`The "${op}" filter operator is not supported`));
};

const fieldOf = (ctx: QueryContext, collection: string, name: string): Field | undefined => {
  const info = Object.hasOwn(ctx.schema.collections, collection) ? ctx.schema.collections[collection] : undefined;
  return info && Object.hasOwn(info.fields, name) ? info.fields[name] : undefined;
};

const SCALAR_OPS: ReadonlySet<string> = new Set(['_eq', '_neq', '_lt', '_lte', '_gt', '_gte']);
const VALUE_OPS: ReadonlySet<string> = new Set([...SCALAR_OPS, '_in', '_nin', '_between', '_nbetween']);

/** Keeps the first refused value while a filter compiles (compileQuery), else fails at once. */
const refuse = (ctx: QueryContext, failure: DatabaseFailure): void => {
  if (ctx.refusedValue) ctx.refusedValue.first ??= failure;
  else throw new CompileError(failure, true);
};

/** The one non-null element of a one-element array (what a date column reads of its array literal). */
const dateArrayElement = (v: unknown): string | number | boolean | undefined =>
  Array.isArray(v) && v.length === 1 && ['string', 'number', 'boolean'].includes(typeof v[0]) ? (v[0] as string | number | boolean) : undefined;

/** Number columns by the name Postgres gives their type. */
const NUMBER_COLUMN: Readonly<Partial<Record<FieldType, string>>> = { integer: 'integer', float: 'real', decimal: 'numeric' };

/**
 * A typed column (the dialect's `typedColumns`) cannot be compared with a value that is no integer of
 * its size, or no uuid: Postgres fails the select, Directus answers a 500 and WebSocket nothing.
 * An integer field's value is first cast to a number (an unreadable one is INVALID_QUERY before this).
 */
const refuseColumnText = (ctx: QueryContext, type: FieldType, values: readonly unknown[]): void => {
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v) && Object.hasOwn(NUMBER_COLUMN, type)) {
      // castToNumber maps the list; pg binds it as one array literal, which no number column reads.
      refuse(ctx, new DatabaseFailure(`invalid input syntax for type ${NUMBER_COLUMN[type]!}: "${postgresArrayText(v.filter((e) => e !== undefined).map(Number))}"`));
      continue;
    }
    if (type === 'uuid') {
      const uuid = postgresUuid(boundText(v));
      if (uuid instanceof Silent) refuse(ctx, new DatabaseFailure(uuid.reason));
      continue;
    }
    if (DATE_TYPES.has(type)) {
      if (v instanceof Instant) continue;
      // The date/time parser skips punctuation: the array literal `{"2024-01-01"}` reads as its one element.
      const only = dateArrayElement(v);
      const refused = only === undefined ? postgresDateInput(type, boundText(v)) : postgresDateInput(type, driverText(only), boundText(v));
      if (refused) refuse(ctx, refused);
      continue;
    }
    if (type === 'integer') {
      const n = toNumber(v);
      if (Number.isNaN(n)) continue;
      if (!Number.isInteger(n) || String(n).includes('e')) refuse(ctx, new DatabaseFailure(`invalid input syntax for type integer: "${String(n)}"`));
      if (n < -2147483648 || n > 2147483647) refuse(ctx, new DatabaseFailure(`value "${String(n)}" is out of range for type integer`));
    } else if (type === 'bigInteger') {
      const text = boundText(v);
      if (!/^\s*[+-]?\d+\s*$/.test(text)) refuse(ctx, new DatabaseFailure(`invalid input syntax for type bigint: "${text}"`));
    }
  }
};

/**
 * A boolean column reads a filter value with Postgres's boolean input (`yes`, `t`, `0`… match; the
 * dialect's `typedColumns`); text it cannot read fails the select like any refused value.
 */
const booleanColumnValue = (ctx: QueryContext, value: unknown): unknown => {
  if (value === null || value === undefined) return value;
  const read = postgresBoolean(boundText(value));
  if (typeof read === 'boolean') return read;
  refuse(ctx, new DatabaseFailure(read.reason));
  return value;
};

/** An operator on `key` in `collection`: a plain field or a function of one. */
const compileOperator = (ctx: QueryContext, collection: string, key: string, op: string, value: unknown): Compiled => {
  const { field: name, fn } = parseFilterKey(key);
  const field = fieldOf(ctx, collection, name) ?? invalidKey(key, collection);
  if (fn !== null) {
    if (!functionsForType(field.type).includes(fn)) invalidKey(key, collection);
    validateOperator('integer', op, []);
    return compileLeaf({ collection, field: name, kind: 'numeric', fn }, 'integer', op, value, true, false);
  }
  validateOperator(field.type, op, field.special);
  if (dialectOfContext(ctx).typedColumns && VALUE_OPS.has(op)) {
    const list = op === '_in' || op === '_nin' || op === '_between' || op === '_nbetween';
    const values = list ? valueList(value).filter((v) => v !== undefined) : [value];
    // A `_between` without two values adds no condition: nothing reaches the column.
    if (!((op === '_between' || op === '_nbetween') && values.length !== 2)) refuseColumnText(ctx, isUuidColumn(ctx.schema, collection, field) ? 'uuid' : field.type, values);
  }
  if (op === '_json') return compileJson(collection, name, value as Record<string, unknown>, 'and');
  const source: Source = { collection, field: name, kind: kindOf(field.type), fn: null };
  const single = dialectOfContext(ctx).typedColumns && DATE_TYPES.has(field.type) && SCALAR_OPS.has(op) ? dateArrayElement(value) : undefined;
  if (single !== undefined) return compileLeaf(source, field.type, op, single, false, true);
  const compared = field.type === 'boolean' && dialectOfContext(ctx).typedColumns && (op === '_eq' || op === '_neq') ? booleanColumnValue(ctx, value) : value;
  return compileLeaf(source, field.type, op, compared, NUMERIC_CAST.has(field.type), DATE_TYPES.has(field.type));
};

/** The operators applyOperatorToRaw applies to a JSON value; it ignores any other. */
const JSON_OPS = new Set(['_eq', '_neq', '_lt', '_lte', '_gt', '_gte', '_in', '_nin', '_between', '_nbetween', '_null', '_nnull', '_empty', '_nempty', ...Object.keys(LIKE_OPS)]);

/** getOperation: a path's first key names its operator (a bare value is `_eq`, an object is looked into). */
const jsonOperation = (key: string | undefined, value: unknown): { op: string; value: unknown } | null => {
  // An inner filter with no key: Directus calls `startsWith` on undefined.
  if (key === undefined) return fail(new Silent("Cannot read properties of undefined (reading 'startsWith')"));
  if (key === '_and' || key === '_or') return null;
  if (key.startsWith('_') && key !== '_none' && key !== '_some') return { op: key, value };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { op: '_eq', value };
  const first = Object.keys(value)[0];
  return first === undefined ? null : jsonOperation(first, (value as Record<string, unknown>)[first]);
};

/**
 * `_json`: each path's first operator on `json_extract(field, path)`, without the field type's casts;
 * the conditions of one object combine with `logical`, and `_and`/`_or` lists nest a group whose
 * members' conditions all combine with that group's own logic (as Directus builds them).
 */
const compileJson = (collection: string, field: string, filter: Record<string, unknown>, logical: 'and' | 'or'): Compiled => {
  const parts = jsonConditions(collection, field, filter);
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  return logical === 'and' ? { $dand: parts } : { $dor: parts };
};

const jsonConditions = (collection: string, field: string, filter: unknown): SiftQuery[] => {
  const parts: SiftQuery[] = [];
  if (typeof filter !== 'object' || filter === null) return parts;
  for (const path of Object.keys(filter)) {
    const inner = (filter as Record<string, unknown>)[path];
    if (path === '_and' || path === '_or') {
      const group = path === '_or' ? 'or' : 'and';
      const members = (Array.isArray(inner) ? inner : []).flatMap((sub) => jsonConditions(collection, field, sub));
      if (members.length > 0) parts.push(members.length === 1 ? members[0]! : group === 'and' ? { $dand: members } : { $dor: members });
      continue;
    }
    const steps = jsonPath(path);
    if (!Array.isArray(steps)) return fail(steps);
    const innerKeys = typeof inner === 'object' && inner !== null ? Object.keys(inner) : [];
    const operation = jsonOperation(innerKeys[0], innerKeys[0] === undefined ? undefined : (inner as Record<string, unknown>)[innerKeys[0]]);
    if (operation === null || !JSON_OPS.has(operation.op)) continue;
    const source: Source = { collection, field, kind: 'loose', fn: 'json', path: steps };
    const leaf = compileLeaf(source, 'json', operation.op, operation.value, false, false);
    if (leaf !== null) parts.push(leaf);
  }
  return parts;
};

type RelationInfo = { readonly type: 'm2o' | 'o2m' | 'a2o'; readonly relation: Relation; readonly scope?: string };

const relationOf = (ctx: QueryContext, collection: string, key: string): RelationInfo | null => {
  if (key.includes(':')) {
    // `item:collection`: the many-to-any key field, read as a row of that one collection.
    const [field = '', scope = ''] = key.split(':');
    const relation = a2oOf(ctx.schema, collection, field);
    return relation && Object.hasOwn(ctx.schema.collections, scope) ? { type: 'a2o', relation, scope } : null;
  }
  // `$FOLLOW(collection, field)`: the reverse of an m2o that has no o2m alias.
  const follow = followRelation(ctx.schema, collection, key);
  if (follow) return Object.hasOwn(ctx.schema.collections, follow.manyCollection) ? { type: 'o2m', relation: follow } : null;
  const m2o = m2oRelation(ctx.schema, collection, key);
  if (m2o) return { type: 'm2o', relation: m2o };
  const o2m = o2mRelation(ctx.schema, collection, key);
  return o2m ? { type: 'o2m', relation: o2m } : null;
};

const ALWAYS: SiftQuery = { $dconst: true };

const notTopLevel = (op: string): never => fail(invalidQuery(`"${op}" can only be used with top level relational alias field`));

/**
 * Children of an o2m alias matching `inner`. `join`: a path's LEFT JOIN (addJoin), where a parent
 * without children meets one row of nulls (`blocks.id _null` matches it); else `_some`'s subquery.
 * `open`: every related row counts, not only those the caller may read (an operator right on the alias).
 */
const some = (scope: Scope, field: string, inner: Compiled, join: boolean, open = false): SiftQuery =>
  ({ $dsome: { collection: scope.collection, field, query: inner ?? ALWAYS, join, open } });

const compileField = (ctx: QueryContext, key: string, value: FilterNode, scope: Scope): Compiled => {
  const { collection } = scope;
  // Apart from `$FOLLOW(…)`, a `$` key is not a field.
  if (key.startsWith('$') && !followRelation(ctx.schema, collection, key)) return invalidKey(key, collection);
  switch (value.t) {
    case 'empty': case 'null': return null;
    case 'op': {
      const parsed = parseFilterKey(key);
      const field = parsed.fn === null ? fieldOf(ctx, collection, key) : undefined;
      if (scope.nested && parsed.fn === 'count' && fieldOf(ctx, collection, parsed.field)?.type === 'json' && dialectOfContext(ctx).joinedJsonCountFails) return fail(JOINED_JSON_COUNT);
      if (field?.type !== 'alias') return compileOperator(ctx, collection, key, value.op, value.value);
      // An operator right on an o2m alias tests the related rows' primary key through a LEFT JOIN
      // (a parent without children meets it as NULL), over every related row (see `open`).
      const info = relationOf(ctx, collection, key);
      if (info?.type !== 'o2m') return null;
      const many = info.relation.manyCollection;
      const primary = ctx.schema.collections[many]!.primary;
      return some(scope, key, compileOperator(ctx, many, primary, value.op, value.value), true, true);
    }
    case 'quant': {
      // getOperation follows the body's first key down to an operator: a body that reaches none
      // (`{}`, `_and`/`_or`, several keys or several operators, which parseFilter groups in `_and`)
      // adds no condition at all, and nothing in it is checked further.
      if (!leadsToOperator(value.value)) return null;
      // Below the first relation of a path Directus refuses a quantifier, whatever the field is.
      if (scope.nested) return notTopLevel(value.op);
      const info = relationOf(ctx, collection, key);
      if (info === null) return null;
      if (info.type !== 'o2m') return notTopLevel(value.op);
      const inner = later(() => compileNode(ctx, value.value, { collection: info.relation.manyCollection }));
      return value.op === '_some'
        ? some(scope, key, inner, false)
        : { $dnone: { collection, field: key, query: inner ?? ALWAYS } };
    }
    // A path continues (a logic node here comes from merging paths on the same relation).
    case 'field': case 'logic': {
      const info = relationOf(ctx, collection, key);
      if (info === null) return null; // a path below a plain field: Directus ignores it
      if (info.type === 'm2o') {
        const inner = compileNode(ctx, value, { collection: info.relation.oneCollection!, nested: true });
        return inner === null ? null : { $dm2o: { collection, field: key, query: inner } };
      }
      if (info.type === 'a2o') {
        const inner = compileNode(ctx, value, { collection: info.scope!, nested: true });
        return inner === null ? null : { $da2o: { collection, field: info.relation.manyField, scope: info.scope, query: inner } };
      }
      const inner = compileNode(ctx, value, { collection: info.relation.manyCollection, nested: true });
      // With no operation at the end of the path Directus adds nothing; with an ignored one, a bare EXISTS.
      return inner === null && !hasOperation(value) ? null : some(scope, key, inner, true);
    }
  }
};

/** Whether a filter's first chain of keys ends at an operator (getOperation on Directus's parsed filter). */
const leadsToOperator = (node: FilterNode): boolean =>
  node.t === 'op' || ((node.t === 'field' || node.t === 'quant') && leadsToOperator(node.value));

const hasOperation = (node: FilterNode): boolean =>
  node.t === 'op' || node.t === 'quant' || (node.t === 'field' && hasOperation(node.value)) || (node.t === 'logic' && node.items.some(hasOperation));

/** Conditions on the same relation in one `_and` are about the same related row (one join / EXISTS). */
const mergeRelational = (ctx: QueryContext, items: readonly FilterNode[], collection: string): FilterNode[] => {
  const out: FilterNode[] = [];
  const byKey = new Map<string, { index: number; values: FilterNode[] }>();
  for (const item of items) {
    if (item.t === 'field' && item.value.t === 'field' && relationOf(ctx, collection, item.key) !== null) {
      const group = byKey.get(item.key);
      if (group) {
        group.values.push(item.value);
        continue;
      }
      byKey.set(item.key, { index: out.length, values: [item.value] });
    }
    out.push(item);
  }
  for (const [key, { index, values }] of byKey) {
    if (values.length > 1) out[index] = { t: 'field', key, value: { t: 'logic', op: '_and', items: values } };
  }
  return out;
};

/**
 * Directus validates plain conditions of a group before its nested groups and subqueries (knex calls
 * their callbacks as it compiles); a to-many path is a plain condition (a LEFT JOIN), in its place.
 */
const deferred = (node: FilterNode): boolean => node.t !== 'field' || node.value.t === 'quant';

const compileGroup = (ctx: QueryContext, op: '_and' | '_or', nodes: readonly FilterNode[], scope: Scope): Compiled => {
  // An `_or` with an empty member matches everything.
  if (op === '_or' && nodes.some((n) => n.t === 'empty')) return null;
  const items = op === '_and' ? mergeRelational(ctx, nodes, scope.collection) : [...nodes];
  const compiled: Compiled[] = new Array(items.length).fill(null);
  for (const late of [false, true]) {
    items.forEach((item, i) => {
      if (deferred(item) === late) compiled[i] = compileNode(ctx, item, scope);
    });
  }
  const parts = compiled.filter((c): c is SiftQuery => c !== null);
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  return op === '_and' ? { $dand: parts } : { $dor: parts };
};

export const compileNode = (ctx: QueryContext, node: FilterNode, scope: Scope): Compiled => {
  switch (node.t) {
    case 'empty': case 'null': return null;
    case 'logic': return later(() => compileGroup(ctx, node.op, node.items, scope));
    case 'field': return compileField(ctx, node.key, node.value, scope);
    // An operator or quantifier where a field belongs.
    case 'op': return invalidKey(node.op, scope.collection);
    case 'quant': return node.value.t === 'op' ? invalidKey(node.op, scope.collection) : null;
  }
};

/** The sift query for a parsed, validated filter on `collection` (everything matches when it adds nothing). */
export const compileQuery = (ctx: QueryContext, node: FilterNode, collection: string): SiftQuery => {
  // Only a dialect with typed columns refuses values (refuse): no other needs a context that collects them.
  if (!dialectOfContext(ctx).typedColumns) return compileNode(ctx, node, { collection }) ?? ALWAYS;
  const refusedValue: { first: DatabaseFailure | undefined } = { first: undefined };
  const collecting = extendContext(ctx, { refusedValue });
  const compiled = compileNode(collecting, node, { collection }) ?? ALWAYS;
  if (refusedValue.first) throw new CompileError(refusedValue.first, true);
  return compiled;
};
