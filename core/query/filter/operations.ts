// The sift operations a compiled filter may use, and nothing else. A compiled filter is a sift query
// built only from the names below (never from client keys); sift is given exactly this table, so
// `$where`, `$regex`, `$function` and the rest of sift's defaults cannot be reached.
//
// Each operation compiles its params once, when sift creates it, into a small closure (`test`);
// groups and relations compose their children's closures directly, so a test per item is a few
// plain function calls.
import * as siftNamespace from 'sift';

// Node loads sift's CommonJS build, whose members sit on the default export; bundlers (esbuild, Vite,
// webpack) pick its ES module build, which exports them by name. Take whichever has them.
type Sift = typeof import('sift');
const siftModule: Pick<Sift, 'createQueryOperation' | 'createOperationTester'> =
  'createQueryOperation' in siftNamespace && typeof siftNamespace.createQueryOperation === 'function'
    ? siftNamespace
    : (siftNamespace as unknown as { default: Sift }).default;
import { normalizeKey } from '../../keys.ts';
import { followRelation, relatedChildren } from '../../relations.ts';
import { m2oRelation, o2mRelation } from '../../schema.ts';
import { getItem } from '../../store.ts';
import type { Item, PrimaryKey, Relation } from '../../types.ts';
import type { QueryContext } from '../shared/context.ts';
import { visibleChildrenOf, visibleIn, visibleParentOf } from '../shared/visible-rows.ts';
import {
  always, between, compare, equals, inList, isEmpty, isNull, like, never, type Comparison, type Predicate, type Source,
} from './predicates.ts';
import type { SqlValue } from './values.ts';

export type { Source } from './predicates.ts';

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

// A related row the caller may not read is joined as no row at all (see visible-rows.ts).
const parentOf = (ctx: QueryContext, relation: Relation, field: string) => {
  const parent = visibleParentOf(ctx, relation);
  return (item: Item): Item => parent(item[field]) ?? NULL_ROW;
};

const childrenOf = (ctx: QueryContext, relation: Relation, primary: string, open = false) => {
  const children = open ? (key: PrimaryKey) => relatedChildren(ctx.schema, ctx.data, relation, key) : visibleChildrenOf(ctx, relation);
  return (item: Item): readonly Item[] => {
    const key = item[primary];
    return typeof key === 'number' || typeof key === 'string' ? children(key) : [];
  };
};

/** The item a many-to-any pair (`collection` field + key field) points at, when it is in `scope`. */
const scopedParentOf = (ctx: QueryContext, relation: Relation, field: string, scope: string) => {
  const collectionField = relation.oneCollectionField ?? '';
  const visible = visibleIn(ctx, scope);
  return (item: Item): Item => {
    const store = ctx.data.collections[scope];
    if (item[collectionField] !== scope || !store) return NULL_ROW;
    const key = normalizeKey(ctx.schema, scope, item[field]);
    return visible(key === undefined ? undefined : getItem(store, key)) ?? NULL_ROW;
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
  /**
   * An operator right on the o2m alias: a join that names no field of the related collection, so
   * processAst asks no permission for it and every related row counts.
   */
  readonly open?: boolean;
}

// Helpers for directusOperations live here rather than inside it: it runs on every compile.

/** A sift operation factory whose predicate `build` makes from the operation's params. */
const op = (build: (params: any, options: { operations: Operations }) => Predicate) =>
  (params: any, _owner: unknown, options: { operations: Operations }) => new DirectusOperation(build(params, options));

type Leaf = { source: Source; value: SqlValue };

const cmp = (ctx: QueryContext, c: Comparison) => op((p: Leaf) => compare(ctx, p.source, c, p.value));

const m2oOf = (ctx: QueryContext, p: RelationParams): Relation => m2oRelation(ctx.schema, p.collection, p.field)!;

const o2mOf = (ctx: QueryContext, p: RelationParams): Relation =>
  o2mRelation(ctx.schema, p.collection, p.field) ?? followRelation(ctx.schema, p.collection, p.field)!;

const primaryOf = (ctx: QueryContext, p: RelationParams): string => ctx.schema.collections[p.collection]!.primary;

/** The operation table for one compile; relations and counts read `ctx`. */
export const directusOperations = (ctx: QueryContext): Operations => {
  return {
    $dconst: op((p: boolean) => (p ? always : never)),
    $dand: op((p: SiftQuery[], options) => all(p.map((q) => child(q, options)))),
    $dor: op((p: SiftQuery[], options) => any(p.map((q) => child(q, options)))),
    $deq: op((p: Leaf) => equals(ctx, p.source, p.value, false)),
    $dneq: op((p: Leaf) => equals(ctx, p.source, p.value, true)),
    $dlt: cmp(ctx, '<'),
    $dlte: cmp(ctx, '<='),
    $dgt: cmp(ctx, '>'),
    $dgte: cmp(ctx, '>='),
    $din: op((p: { source: Source; values: SqlValue[] }) => inList(ctx, p.source, p.values, false)),
    $dnin: op((p: { source: Source; values: SqlValue[] }) => inList(ctx, p.source, p.values, true)),
    $dbetween: op((p: { source: Source; low: SqlValue; high: SqlValue }) => between(ctx, p.source, p.low, p.high, false)),
    $dnbetween: op((p: { source: Source; low: SqlValue; high: SqlValue }) => between(ctx, p.source, p.low, p.high, true)),
    $dnull: op((p: { source: Source }) => isNull(ctx, p.source)),
    $dnnull: op((p: { source: Source }) => {
      const test = isNull(ctx, p.source);
      return (item) => !test(item);
    }),
    $dempty: op((p: { source: Source }) => isEmpty(ctx, p.source, false)),
    $dnempty: op((p: { source: Source }) => isEmpty(ctx, p.source, true)),
    $dlike: op((p: { source: Source; patterns: string[]; lower?: boolean }) => like(ctx, p.source, p.patterns, false, p.lower === true)),
    $dnlike: op((p: { source: Source; patterns: string[]; lower?: boolean }) => like(ctx, p.source, p.patterns, true, p.lower === true)),
    $dm2o: op((p: RelationParams, options) => {
      const test = child(p.query, options);
      const parent = parentOf(ctx, m2oOf(ctx, p), p.field);
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
      const children = childrenOf(ctx, o2mOf(ctx, p), primaryOf(ctx, p), p.open === true);
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
      const children = childrenOf(ctx, o2mOf(ctx, p), primaryOf(ctx, p));
      return (item) => {
        for (const row of children(item)) if (test(row)) return false;
        return true;
      };
    }),
  };
};

/**
 * The predicate for a compiled filter. Sift builds the operation tree from the query, given only the
 * whitelisted operations above. Sift wraps the root in its own NestedOperation, whose per-item
 * bookkeeping (reset, key-path walk, child loop) costs more than a compiled filter itself, so the
 * root operation's predicate is used directly; sift's own tester is the fallback.
 */
export const siftPredicate = (query: SiftQuery, ctx: QueryContext): Predicate => {
  const root = siftModule.createQueryOperation<Item>(query as never, null, { operations: directusOperations(ctx) as never });
  const only = root.children.length === 1 ? root.children[0] : undefined;
  if (only instanceof DirectusOperation) return only.test;
  const tester = siftModule.createOperationTester(root);
  return (item) => tester(item);
};
