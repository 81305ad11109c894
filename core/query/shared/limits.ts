// The limits a read runs under: Directus's own (MAX_RELATIONAL_DEPTH, QUERY_LIMIT_DEFAULT,
// QUERY_LIMIT_MAX) and standin's cost budget for what Directus leaves to its database.
import { DirectusError, invalidQuery } from '../../errors.ts';
import type { Config } from '../../types.ts';
import { DIALECTS, SQLITE, type Dialect } from '../../dialect.ts';

export interface QueryLimits {
  /** MAX_RELATIONAL_DEPTH: dot-separated segments in `fields`, `sort`, `groupBy`, `filter`, `deep` (Directus: at least 2). */
  readonly maxRelationalDepth: number;
  /** QUERY_LIMIT_DEFAULT: the `limit` of a query that sets none. */
  readonly queryLimitDefault: number;
  /** QUERY_LIMIT_MAX: the largest `limit` (Infinity: none); `limit=-1` then means this many. */
  readonly queryLimitMax: number;
  /** MAX_QUERY_COST (standin's own): rows × values a read may look at and return. */
  readonly maxQueryCost: number;
  /** The database whose behaviour reads copy (LIKE, NULL order, aggregate types). */
  readonly dialect: Dialect;
}

export const DEFAULT_LIMITS: QueryLimits = {
  maxRelationalDepth: 10,
  queryLimitDefault: 100,
  queryLimitMax: Infinity,
  maxQueryCost: 2_000_000,
  dialect: SQLITE,
};

const cache = new WeakMap<Config, QueryLimits>();

/** The read limits of a server's configuration (one object per configuration). */
export const limitsOf = (config: Config): QueryLimits => {
  let limits = cache.get(config);
  if (!limits) {
    limits = {
      maxRelationalDepth: config.maxRelationalDepth, queryLimitDefault: config.queryLimitDefault,
      queryLimitMax: config.queryLimitMax, maxQueryCost: config.maxQueryCost,
      dialect: DIALECTS[config.dialect] ?? SQLITE,
    };
    cache.set(config, limits);
  }
  return limits;
};

/** Directus reads MAX_RELATIONAL_DEPTH as at least 2. */
export const relationalDepth = (limits: QueryLimits): number => Math.max(2, limits.maxRelationalDepth);

export const depthExceeded = () => invalidQuery('Max relational depth exceeded');

const costErrors = new WeakSet<DirectusError>();

/** Whether a read failed on standin's cost budget (rather than on anything Directus checks). */
export const isCostExceeded = (error: unknown): boolean => error instanceof DirectusError && costErrors.has(error);

/** A read refused before it runs (or as soon as it passes the budget): its cost and how to raise the budget. */
export const costExceeded = (cost: number, limits: QueryLimits): DirectusError => {
  const error = invalidQuery(
    `The query would look at or return more than ${limits.maxQueryCost.toLocaleString('en-US')} values (rows × fields, ` +
    `rows × filter conditions; this one: at least ${cost.toLocaleString('en-US')}). Ask for fewer rows (limit), fewer fields ` +
    `or a narrower filter, or raise standin's MAX_QUERY_COST`,
  );
  costErrors.add(error);
  return error;
};

/** A counter of the values a read returns; `charge` answers false once the budget is spent. */
export interface CostMeter {
  spent: number;
  readonly budget: number;
}

export const meter = (limits: QueryLimits, start = 0): CostMeter => ({ spent: start, budget: limits.maxQueryCost });

const LOGICAL = new Set(['_and', '_or', '_some', '_none']);

/**
 * The conditions a filter tests per row: its operators (`_eq`, `_in`, …), found by a walk that never
 * enters an operator's value (a million-element `_in` is one condition) and stops counting at `cap`.
 */
export const filterConditions = (filter: unknown, cap = Number.MAX_SAFE_INTEGER): number => {
  let count = 0;
  let visits = 0;
  const stack: unknown[] = [filter];
  while (stack.length > 0 && count < cap) {
    // A bound for a cyclic object from a caller in the same process (parsed JSON has no cycles).
    if (++visits > 1_000_000) return cap;
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, nested] of Object.entries(value)) {
        if (key.startsWith('_') && !LOGICAL.has(key)) count++;
        else stack.push(nested);
      }
    }
  }
  return count;
};

/** Thrown inside a read's projection when it passes the budget; the read answers costExceeded. */
export class BudgetSpent {
  readonly cost: number;
  constructor(cost: number) {
    this.cost = cost;
  }
}

/** Adds `cost` to the meter; past the budget, stops the read. */
export const charge = (m: CostMeter, cost: number): void => {
  m.spent += cost;
  if (m.spent > m.budget) throw new BudgetSpent(m.spent);
};
