// What every query function needs to know: the schema, the data, the clock and who is asking.
import type { Accountability, Data, Item, Schema } from '../../types.ts';
import { SQLITE, type Dialect } from '../../dialect.ts';
import type { DatabaseFailure } from '../../errors.ts';
import type { QueryLimits } from './limits.ts';

/** Which fields of a collection the caller may read: every field, a list, or none (no access). */
export type FieldAccess = '*' | ReadonlySet<string> | null;

export interface QueryContext {
  readonly schema: Schema;
  readonly data: Data;
  /** Clock reading (ms since epoch) for `$NOW`. */
  readonly now: number;
  readonly accountability: Accountability;
  /** Field-level read access per collection (permissions applied; admins get '*'). */
  readonly readable: (collection: string) => FieldAccess;
  /** Item-level read rule (a permission's `permissions` filter), if the caller has one. */
  readonly rowRule?: (collection: string) => ((item: Item) => boolean) | undefined;
  /** MAX_RELATIONAL_DEPTH, QUERY_LIMIT_* and the cost budget (DEFAULT_LIMITS when absent). */
  readonly limits?: QueryLimits;
  /** The relational path (`cities`, `item:pages`) of the `deep` level being compiled, for error wording. */
  readonly deepPath?: readonly string[];
  /**
   * Set by a filter's `count(json)` when it reads a row whose text is no JSON: SQLite's
   * json_array_length then fails the whole query (rows its WHERE never reaches do not count).
   */
  readonly jsonFaults?: { malformed: boolean };
  /**
   * While a filter compiles: the first value a typed column refuses (a database failure comes when
   * the statement runs, after every INVALID_QUERY the filter's other parts may raise).
   */
  readonly refusedValue?: { first: DatabaseFailure | undefined };
  /** Set on a context whose `data` is a getter over a cell (access/context.ts's liveQueryContext). */
  readonly live?: true;
}

/** The members a query function adds to (or replaces in) a context for the calls below it. */
type ContextExtra = Pick<QueryContext, 'deepPath' | 'jsonFaults' | 'refusedValue' | 'readable' | 'rowRule'>;

/**
 * `ctx` with members added or replaced. A live context is extended through a prototype link: a spread
 * would read its `data` getter once and freeze it. Any other is copied, at a fraction of the cost of a
 * prototype link (every query extends its context at least once).
 */
export const extendContext = (ctx: QueryContext, extra: Partial<ContextExtra>): QueryContext => {
  if (!ctx.live) return { ...ctx, ...extra };
  const members: PropertyDescriptorMap = {};
  for (const [key, value] of Object.entries(extra)) members[key] = { value };
  return Object.create(ctx, members) as QueryContext;
};

/** The database whose behaviour a query copies (SQLite unless the configuration says otherwise). */
export const dialectOfContext = (ctx: QueryContext): Dialect => ctx.limits?.dialect ?? SQLITE;

export const canReadField = (ctx: QueryContext, collection: string, field: string): boolean => {
  const access = ctx.readable(collection);
  return access === '*' || (access !== null && (access.has('*') || access.has(field)));
};
