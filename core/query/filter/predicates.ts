// Leaf predicates: one operator on one column (or function of a column), with SQL semantics
// (NULL never matches a comparison; any number sorts before any text). Plain columns holding the
// column's natural type (a number in a numeric column, a string in a text column) take a fast path
// that reads the field inline; anything else goes through the SQLite conversion first.
import { o2mRelation } from '../../schema.ts';
import type { Item } from '../../types.ts';
import type { QueryContext } from '../shared/context.ts';
import { columnGetter, likeText, sqlValue, type Kind, type SqlValue } from './values.ts';
import { likeMatcher, type LikeFold } from './like.ts';
import type { Dialect } from '../../dialect.ts';
import { dialectOfContext } from '../shared/context.ts';
import { extractJson } from './json-filter.ts';
import { applyFunction, compareValues, jsonArrayLength, malformedJson } from '../shared/values.ts';
import { visibleChildrenOf } from '../shared/visible-rows.ts';

/** A compiled filter, search or permission rule: whether one row matches. */
export type Predicate = (item: Item) => boolean;

/** Where a leaf reads its value: a field, or a function of one (`year(published_at)`, `count(tags)`). */
export interface Source {
  readonly collection: string;
  readonly field: string;
  readonly kind: Kind;
  readonly fn: string | null;
  /** For `fn: 'json'`: the steps of the JSON path read out of the field (`_json`). */
  readonly path?: readonly (string | number)[];
}

export const always: Predicate = () => true;
export const never: Predicate = () => false;

type Getter = (item: Item) => SqlValue;

const functionGetter = (ctx: QueryContext, { collection, field, fn, path }: Source): Getter => {
  if (fn === 'json') {
    const steps = path ?? [];
    return (item) => extractJson(item[field], steps);
  }
  if (fn === 'count') {
    const relation = o2mRelation(ctx.schema, collection, field);
    if (!relation) {
      const castJson = ctx.schema.collections[collection]?.fields[field]?.special.includes('cast-json') ?? true;
      const faults = ctx.jsonFaults;
      if (!faults) return (item) => jsonArrayLength(item[field], castJson);
      return (item) => {
        if (malformedJson(item[field])) faults.malformed = true;
        return jsonArrayLength(item[field], castJson);
      };
    }
    const primary = ctx.schema.collections[collection]!.primary;
    const children = visibleChildrenOf(ctx, relation);
    return (item) => {
      const key = item[primary];
      return typeof key === 'number' || typeof key === 'string' ? children(key).length : 0;
    };
  }
  const extract = dialectOfContext(ctx).functionsAsText;
  return (item) => {
    const out = applyFunction(fn!, item[field], true, extract);
    return typeof out === 'number' ? out : null;
  };
};

const getter = (ctx: QueryContext, source: Source): Getter =>
  source.fn === null ? columnGetter(source.kind, source.field) : functionGetter(ctx, source);

/** Whether values of this column and this target type can be compared without conversion. */
const fastNumber = (source: Source, target: SqlValue): target is number =>
  source.fn === null && typeof target === 'number' && (source.kind === 'numeric' || source.kind === 'loose');
const fastText = (source: Source, target: SqlValue): target is string =>
  source.fn === null && typeof target === 'string' && (source.kind === 'text' || source.kind === 'loose');

/** `x IS NULL`: reads the raw field unless a function is applied. */
export const isNull = (ctx: QueryContext, source: Source): Predicate => {
  if (source.fn !== null) {
    const get = getter(ctx, source);
    return (item) => get(item) === null;
  }
  const field = source.field;
  return (item) => item[field] === null || item[field] === undefined;
};

/** `equals` off the fast path: the raw value converted as SQLite would, then compared. */
const equalsSlow = (kind: Kind, v: unknown, target: SqlValue, negate: boolean): boolean => {
  const s = sqlValue(kind, v);
  return s !== null && (s === target) !== negate;
};

/** `x = v` (or `NOT x = v`, which is not true for NULL either). */
export const equals = (ctx: QueryContext, source: Source, target: SqlValue, negate: boolean): Predicate => {
  if (target === null) return never;
  const { field, kind } = source;
  if (fastNumber(source, target)) {
    return negate
      ? (item) => { const v = item[field]; return typeof v === 'number' ? v !== target : equalsSlow(kind, v, target, true); }
      : (item) => { const v = item[field]; return typeof v === 'number' ? v === target : equalsSlow(kind, v, target, false); };
  }
  if (fastText(source, target)) {
    return negate
      ? (item) => { const v = item[field]; return typeof v === 'string' ? v !== target : equalsSlow(kind, v, target, true); }
      : (item) => { const v = item[field]; return typeof v === 'string' ? v === target : equalsSlow(kind, v, target, false); };
  }
  const get = getter(ctx, source);
  return (item) => {
    const v = get(item);
    return v !== null && (v === target) !== negate;
  };
};

export type Comparison = '<' | '<=' | '>' | '>=';

const accepts = (cmp: Comparison, c: number): boolean =>
  cmp === '<' ? c < 0 : cmp === '<=' ? c <= 0 : cmp === '>' ? c > 0 : c >= 0;

/** `compare` off the fast path, on a value already converted as SQLite would. */
const compareSlow = (cmp: Comparison, v: SqlValue, target: SqlValue): boolean => v !== null && accepts(cmp, compareValues(v, target));

/** `x < v` and friends. */
export const compare = (ctx: QueryContext, source: Source, cmp: Comparison, target: SqlValue): Predicate => {
  if (target === null) return never;
  const get = getter(ctx, source);
  if (fastNumber(source, target)) {
    const { field, kind } = source;
    switch (cmp) {
      case '<': return (item) => { const v = item[field]; return typeof v === 'number' ? v < target : compareSlow(cmp, sqlValue(kind, v), target); };
      case '<=': return (item) => { const v = item[field]; return typeof v === 'number' ? v <= target : compareSlow(cmp, sqlValue(kind, v), target); };
      case '>': return (item) => { const v = item[field]; return typeof v === 'number' ? v > target : compareSlow(cmp, sqlValue(kind, v), target); };
      case '>=': return (item) => { const v = item[field]; return typeof v === 'number' ? v >= target : compareSlow(cmp, sqlValue(kind, v), target); };
    }
  }
  if (typeof target === 'number') {
    // Any text sorts after any number.
    const textResult = accepts(cmp, 1);
    return (item) => {
      const v = get(item);
      return typeof v === 'number' ? accepts(cmp, v - target) : v !== null && textResult;
    };
  }
  return (item) => compareSlow(cmp, get(item), target);
};

/** `x IN (…)` / `x NOT IN (…)`; a NULL in a NOT IN list makes it never true. */
export const inList = (ctx: QueryContext, source: Source, list: readonly SqlValue[], negate: boolean): Predicate => {
  if (negate && list.includes(null)) return never;
  const values = new Set<SqlValue>(list.filter((v) => v !== null));
  if (!negate && values.size === 0) return never;
  const get = getter(ctx, source);
  return negate
    ? (item) => { const v = get(item); return v !== null && !values.has(v); }
    : (item) => values.has(get(item));
};

/** Three-valued `x BETWEEN low AND high`: a NULL bound gives NULL, which NOT keeps NULL. */
export const between = (ctx: QueryContext, source: Source, low: SqlValue, high: SqlValue, negate: boolean): Predicate => {
  const get = getter(ctx, source);
  return (item) => {
    const v = get(item);
    if (v === null) return false;
    const ge = low === null ? null : compareValues(v, low) >= 0;
    const le = high === null ? null : compareValues(v, high) <= 0;
    const inside = ge === false || le === false ? false : ge === null || le === null ? null : true;
    return negate ? inside === false : inside === true;
  };
};

/** `x IS NULL OR x = ''` (or its negation). */
export const isEmpty = (ctx: QueryContext, source: Source, negate: boolean): Predicate => {
  const get = getter(ctx, source);
  return (item) => {
    const v = get(item);
    return (v === null || v === '') !== negate;
  };
};

/** LIKE folds ASCII on SQLite (LOWER too); on Postgres LIKE is exact and LOWER folds every letter. */
const likeFold = (dialect: Dialect, lower: boolean): LikeFold =>
  dialect.likeFoldsCase ? 'ascii' : lower ? 'unicode' : 'none';

/**
 * `x LIKE p1 OR x LIKE p2 …`, or `x NOT LIKE p1 AND …`; NULL matches neither. `lower`: the
 * `LOWER(x) LIKE …` of the case-insensitive operators and search (the patterns arrive lower-cased).
 */
export const like = (ctx: QueryContext, source: Source, patterns: readonly string[], negate: boolean, lower = false): Predicate => {
  const get = getter(ctx, source);
  const fold = likeFold(dialectOfContext(ctx), lower);
  const matchers = patterns.map((p) => likeMatcher(p, fold));
  const match = matchers.length === 1 ? matchers[0]! : (s: string) => matchers.some((m) => m(s));
  if (source.fn === null && source.kind === 'text') {
    const field = source.field;
    return (item) => {
      const v = item[field];
      const text = typeof v === 'string' ? v : likeText(get(item));
      return text !== null && match(text) !== negate;
    };
  }
  return (item) => {
    const text = likeText(get(item));
    return text !== null && match(text) !== negate;
  };
};
