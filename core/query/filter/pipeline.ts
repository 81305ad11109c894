// `filter` → a predicate, the way Directus 12.4 on SQLite answers it (see the recorded transcripts).
// The stages follow Directus's own order, so the first error is the one Directus would give:
// parseFilter (sanitizeQuery) → validateQuery → processAst (field existence and permissions) →
// applyFilter (operators, values, relations). The result is a sift query over a whitelist of
// operations; no client key or value ever becomes code.
import { DirectusError, forbiddenCollection, invalidQuery, type Failure } from '../../errors.ts';
import type { QueryContext } from '../shared/context.ts';
import { CompileError, compileQuery } from './compile.ts';
import { joinError } from './joins.ts';
import { siftPredicate } from './operations.ts';
import { parseFilter } from './parse.ts';
import type { Predicate } from './predicates.ts';
import { sqlLimitExceeded } from './sql-limits.ts';
import { checkFields, validateDepth, validateValues } from './validate.ts';

const all: Predicate = () => true;

/** A filter's failure, and whether Directus meets it only after the read's fields and sort (see CompileError). */
export interface FilterFailure {
  readonly error: Failure;
  readonly deferred: boolean;
  /**
   * Met in applyFilter (joins, operators, values), as the database query is built — not before it
   * (parsing, validateQuery, processAst): a grouped read's sort is built before its filter.
   */
  readonly applied: boolean;
}

/** A failure Directus meets before any of the query is built. */
const early = (error: Failure): FilterFailure => ({ error, deferred: false, applied: false });

const compile = (filter: unknown, collection: string, ctx: QueryContext, checkValues: boolean): Predicate | FilterFailure => {
  if (!Object.hasOwn(ctx.schema.collections, collection)) return early(forbiddenCollection(collection));
  const tooLarge = sqlLimitExceeded(filter);
  if (tooLarge) return early(tooLarge);
  const parsed = parseFilter(filter, ctx);
  if (parsed === null) return all;
  if (parsed instanceof DirectusError) return early(parsed);
  const invalid = (checkValues ? validateValues(parsed) : null) ?? validateDepth(parsed, ctx.limits) ?? checkFields(parsed, collection, ctx);
  if (invalid) return early(invalid);
  const unscoped = joinError(ctx, parsed, collection);
  if (unscoped) return { error: unscoped, deferred: false, applied: true };
  try {
    return siftPredicate(compileQuery(ctx, parsed, collection), ctx);
  } catch (error) {
    // For anyone but an admin Directus wraps the filter in `_and` with the permissions' cases: all of it comes late.
    if (error instanceof CompileError) return { error: error.error, deferred: error.deferred || !ctx.accountability.admin, applied: true };
    throw error;
  }
};

/**
 * Directus filter (object, or already JSON-parsed) for `collection` → a predicate, or the DirectusError
 * Directus would answer (Silent where its SQL fails: see filter-sql-limits.ts).
 */
export const compileFilter = (filter: unknown, collection: string, ctx: QueryContext): Predicate | Failure => {
  const compiled = compilePhased(filter, collection, ctx, true);
  return typeof compiled === 'function' ? compiled : compiled.error;
};

/**
 * compileFilter for a read, telling an error Directus meets late (after fields and sort) from one it
 * meets at once. `checkValues: false`: the values are not validateQuery's business here (a request's
 * top-level filter was checked by checkQuery already; `deep` filters and a PATCH or DELETE body's
 * query reach applyFilter unchecked).
 */
export const compilePhased = (filter: unknown, collection: string, ctx: QueryContext, checkValues = false): Predicate | FilterFailure => {
  try {
    return compile(filter, collection, ctx, checkValues);
  } catch {
    // Only pathological input gets here (a hostile getter, a stack overflow): refuse it, never throw.
    return { error: invalidQuery('Invalid filter object'), deferred: false, applied: false };
  }
};
