// The sift operations a compiled filter may use, and nothing else. A compiled filter is a sift query
// built only from the names below (never from client keys); sift is given exactly this table, so
// `$where`, `$regex`, `$function` and the rest of sift's defaults cannot be reached.
//
// Each operation compiles its params once, when sift creates it, into a small closure (`test`);
// groups and relations compose their children's closures directly, so a test per item is a few
// plain function calls.
import siftModule from 'sift';
import { normalizeKey, relatedChildren, relatedParent } from '../relations.ts';
import { m2oRelation, o2mRelation } from '../schema.ts';
import { getItem } from '../store.ts';
import type { Item, JsonValue, Relation } from '../types.ts';
import type { QueryContext } from './context.ts';
import type { Predicate } from './filter.ts';
import { columnGetter, likeText, type Kind, type SqlValue } from './filter-values.ts';
import { likeMatcher } from './like.ts';
import { applyFunction, compareValues } from './values.ts';

/** Where a leaf reads its value: a field, or a function of one (`year(published_at)`, `count(tags)`). */
export interface Source {
  readonly collection: string;
  readonly field: string;
  readonly kind: Kind;
  readonly fn: string | null;
}

/** A compiled filter: one operation name with its params (a plain, JSON-like value). */
export type SiftQuery = { readonly [name: `$d${string}`]: unknown };

interface Operations {
  readonly [name: string]: (params: any, ownerQuery: unknown, options: { operations: Operations }, name: string) => DirectusOperation;
}

/** A sift operation whose whole work is one precompiled predicate. */
class DirectusOperation {
  keep = false;
  done = false;
  readonly propop = true;
  readonly test: Predicate;
  constructor(test: Predicate) {
    this.test = test;
  }
  reset(): void {
    this.keep = false;
    this.done = false;
  }
  next(item: unknown): void {
    this.keep = this.test(item as Item);
    this.done = true;
  }
}

/** Creates a child operation through the same whitelist sift uses (`options.operations`). */
const child = (query: SiftQuery, options: { operations: Operations }): Predicate => {
  const names = Object.keys(query);
  const name = names[0];
  if (names.length !== 1 || name === undefined || !Object.hasOwn(options.operations, name)) {
    throw new Error(`Unsupported operation: ${String(name)}`);
  }
  return options.operations[name]!((query as Record<string, unknown>)[name], query, options, name).test;
};

const always: Predicate = () => true;
const never: Predicate = () => false;
/** What a LEFT JOIN yields when there is no related row: every column NULL. */
const NULL_ROW: Item = Object.freeze({});

const all = (tests: Predicate[]): Predicate => {
  if (tests.length === 0) return always;
  if (tests.length === 1) return tests[0]!;
  const [a, b, c] = tests;
  if (tests.length === 2) return (item) => a!(item) && b!(item);
  if (tests.length === 3) return (item) => a!(item) && b!(item) && c!(item);
  return (item) => {
    for (const test of tests) if (!test(item)) return false;
    return true;
  };
};

const any = (tests: Predicate[]): Predicate => {
  if (tests.length === 0) return never;
  if (tests.length === 1) return tests[0]!;
  const [a, b] = tests;
  if (tests.length === 2) return (item) => a!(item) || b!(item);
  return (item) => {
    for (const test of tests) if (test(item)) return true;
    return false;
  };
};

type Getter = (item: Item) => SqlValue;

/** JSON array length as SQLite's json_array_length: 0 for non-arrays, NULL for NULL. */
const jsonArrayLength = (value: JsonValue | undefined): SqlValue => {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.length;
  if (typeof value !== 'string') return 0;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.length : 0;
  } catch {
    return null;
  }
};

const functionGetter = (ctx: QueryContext, { collection, field, fn }: Source): Getter => {
  if (fn === 'count') {
    const relation = o2mRelation(ctx.schema, collection, field);
    if (!relation) return (item) => jsonArrayLength(item[field]);
    const primary = ctx.schema.collections[collection]!.primary;
    return (item) => {
      const key = item[primary];
      return typeof key === 'number' || typeof key === 'string' ? relatedChildren(ctx.schema, ctx.data, relation, key).length : 0;
    };
  }
  return (item) => {
    const out = applyFunction(fn!, item[field]);
    return typeof out === 'number' ? out : null;
  };
};

const getter = (ctx: QueryContext, source: Source): Getter =>
  source.fn === null ? columnGetter(source.kind, source.field) : functionGetter(ctx, source);

/** `value IS NULL` reads the raw field (no conversion needed) unless a function is applied. */
const isNull = (ctx: QueryContext, source: Source): Predicate => {
  if (source.fn !== null) {
    const get = getter(ctx, source);
    return (item) => get(item) === null;
  }
  const field = source.field;
  return (item) => item[field] === null || item[field] === undefined;
};

/** `a <op> b` with SQLite ordering (numbers before text); NULL on either side is never true. */
const comparison = (get: Getter, target: SqlValue, accept: (c: number) => boolean): Predicate => {
  if (target === null) return never;
  if (typeof target === 'number') {
    // Any text sorts after any number.
    const textResult = accept(1);
    return (item) => {
      const v = get(item);
      return typeof v === 'number' ? accept(v - target) : v !== null && textResult;
    };
  }
  return (item) => {
    const v = get(item);
    return v !== null && accept(compareValues(v, target));
  };
};

/** Three-valued `a >= low AND a <= high` (NULL bounds give NULL, which NOT keeps NULL). */
const between = (get: Getter, low: SqlValue, high: SqlValue, negate: boolean): Predicate => (item) => {
  const v = get(item);
  if (v === null) return false;
  const ge = low === null ? null : compareValues(v, low) >= 0;
  const le = high === null ? null : compareValues(v, high) <= 0;
  const inside = ge === false || le === false ? false : ge === null || le === null ? null : true;
  return negate ? inside === false : inside === true;
};

const like = (ctx: QueryContext, source: Source, patterns: readonly string[], negate: boolean): Predicate => {
  const get = getter(ctx, source);
  const matchers = patterns.map(likeMatcher);
  const match = matchers.length === 1 ? matchers[0]! : (s: string) => matchers.some((m) => m(s));
  return (item) => {
    const text = likeText(get(item));
    return text !== null && match(text) !== negate;
  };
};

const parentOf = (ctx: QueryContext, relation: Relation, field: string) => (item: Item): Item =>
  relatedParent(ctx.schema, ctx.data, relation, item[field]) ?? NULL_ROW;

const childrenOf = (ctx: QueryContext, relation: Relation, primary: string) => (item: Item): readonly Item[] => {
  const key = item[primary];
  return typeof key === 'number' || typeof key === 'string' ? relatedChildren(ctx.schema, ctx.data, relation, key) : [];
};

/** The item a many-to-any pair (`collection` field + key field) points at, when it is in `scope`. */
const scopedParentOf = (ctx: QueryContext, relation: Relation, field: string, scope: string) => {
  const collectionField = relation.oneCollectionField ?? '';
  return (item: Item): Item => {
    const store = ctx.data.collections[scope];
    if (item[collectionField] !== scope || !store) return NULL_ROW;
    const key = normalizeKey(ctx.schema, scope, item[field]);
    return (key === undefined ? undefined : getItem(store, key)) ?? NULL_ROW;
  };
};

interface RelationParams {
  readonly collection: string;
  readonly field: string;
  readonly query: SiftQuery;
  /** a2o: the collection named in `field:collection`. */
  readonly scope?: string;
  /** o2m reached through an m2o join: a parent without children still yields one all-NULL row. */
  readonly join?: boolean;
}

/** The operation table for one compile; relations and counts read `ctx`. */
export const directusOperations = (ctx: QueryContext): Operations => {
  const op = (build: (params: any, options: { operations: Operations }) => Predicate) =>
    (params: any, _owner: unknown, options: { operations: Operations }) => new DirectusOperation(build(params, options));
  const cmp = (accept: (c: number) => boolean) =>
    op((p: { source: Source; value: SqlValue }) => comparison(getter(ctx, p.source), p.value, accept));
  const m2o = (p: RelationParams) => m2oRelation(ctx.schema, p.collection, p.field)!;
  const o2m = (p: RelationParams) => o2mRelation(ctx.schema, p.collection, p.field)!;
  const primary = (p: RelationParams) => ctx.schema.collections[p.collection]!.primary;

  return {
    $dconst: op((p: boolean) => (p ? always : never)),
    $dand: op((p: SiftQuery[], options) => all(p.map((q) => child(q, options)))),
    $dor: op((p: SiftQuery[], options) => any(p.map((q) => child(q, options)))),
    $deq: op((p: { source: Source; value: SqlValue }) => {
      const get = getter(ctx, p.source);
      const target = p.value;
      return target === null ? never : (item) => get(item) === target;
    }),
    $dneq: op((p: { source: Source; value: SqlValue }) => {
      const get = getter(ctx, p.source);
      const target = p.value;
      if (target === null) return never;
      return (item) => {
        const v = get(item);
        return v !== null && v !== target;
      };
    }),
    $dlt: cmp((c) => c < 0),
    $dlte: cmp((c) => c <= 0),
    $dgt: cmp((c) => c > 0),
    $dgte: cmp((c) => c >= 0),
    $din: op((p: { source: Source; values: SqlValue[] }) => {
      const get = getter(ctx, p.source);
      const values = new Set<SqlValue>(p.values.filter((v) => v !== null));
      if (values.size === 0) return never;
      return (item) => values.has(get(item));
    }),
    $dnin: op((p: { source: Source; values: SqlValue[] }) => {
      // `x NOT IN (…, NULL)` is never true in SQL.
      if (p.values.includes(null)) return never;
      const get = getter(ctx, p.source);
      const values = new Set(p.values);
      return (item) => {
        const v = get(item);
        return v !== null && !values.has(v);
      };
    }),
    $dbetween: op((p: { source: Source; low: SqlValue; high: SqlValue }) => between(getter(ctx, p.source), p.low, p.high, false)),
    $dnbetween: op((p: { source: Source; low: SqlValue; high: SqlValue }) => between(getter(ctx, p.source), p.low, p.high, true)),
    $dnull: op((p: { source: Source }) => isNull(ctx, p.source)),
    $dnnull: op((p: { source: Source }) => {
      const test = isNull(ctx, p.source);
      return (item) => !test(item);
    }),
    $dempty: op((p: { source: Source }) => {
      const get = getter(ctx, p.source);
      return (item) => {
        const v = get(item);
        return v === null || v === '';
      };
    }),
    $dnempty: op((p: { source: Source }) => {
      const get = getter(ctx, p.source);
      return (item) => {
        const v = get(item);
        return v !== null && v !== '';
      };
    }),
    $dlike: op((p: { source: Source; patterns: string[] }) => like(ctx, p.source, p.patterns, false)),
    $dnlike: op((p: { source: Source; patterns: string[] }) => like(ctx, p.source, p.patterns, true)),
    $dm2o: op((p: RelationParams, options) => {
      const test = child(p.query, options);
      const parent = parentOf(ctx, m2o(p), p.field);
      return (item) => test(parent(item));
    }),
    $da2o: op((p: RelationParams, options) => {
      const test = child(p.query, options);
      const relation = ctx.schema.relations.find((r) => r.manyCollection === p.collection && r.manyField === p.field && r.oneCollection === null)!;
      const parent = scopedParentOf(ctx, relation, p.field, p.scope!);
      return (item) => test(parent(item));
    }),
    $dsome: op((p: RelationParams, options) => {
      const test = child(p.query, options);
      const children = childrenOf(ctx, o2m(p), primary(p));
      const join = p.join === true;
      return (item) => {
        const rows = children(item);
        if (rows.length === 0) return join && test(NULL_ROW);
        for (const row of rows) if (test(row)) return true;
        return false;
      };
    }),
    $dnone: op((p: RelationParams, options) => {
      const test = child(p.query, options);
      const children = childrenOf(ctx, o2m(p), primary(p));
      return (item) => {
        for (const row of children(item)) if (test(row)) return false;
        return true;
      };
    }),
  };
};

/** The predicate for a compiled filter: sift, given only the whitelisted operations above. */
export const siftPredicate = (query: SiftQuery, ctx: QueryContext): Predicate => {
  const tester = siftModule.createQueryTester<Item>(query as never, { operations: directusOperations(ctx) as never });
  return (item) => tester(item);
};
