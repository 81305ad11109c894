// `filter` → a predicate, the way Directus 12.4 on SQLite answers it (see the recorded transcripts).
// The stages follow Directus's own order, so the first error is the one Directus would give:
// parseFilter (sanitizeQuery) → validateQuery → processAst (field existence and permissions) →
// applyFilter (operators, values, relations). The result is a sift query over a whitelist of
// operations; no client key or value ever becomes code.
import { DirectusError, forbiddenCollection, invalidQuery, type Failure } from '../../errors.ts';
import type { QueryContext } from '../shared/context.ts';
import { CompileError, compileQuery } from './compile.ts';
import { siftPredicate } from './operations.ts';
import { parseFilter } from './parse.ts';
import type { Predicate } from './predicates.ts';
import { sqlLimitExceeded } from './sql-limits.ts';
import { checkFields, validateDepth, validateValues } from './validate.ts';

const all: Predicate = () => true;

const compile = (filter: unknown, collection: string, ctx: QueryContext): Predicate | Failure => {
  if (!Object.hasOwn(ctx.schema.collections, collection)) return forbiddenCollection(collection);
  const tooLarge = sqlLimitExceeded(filter);
  if (tooLarge) return tooLarge;
  const parsed = parseFilter(filter, ctx);
  if (parsed === null) return all;
  if (parsed instanceof DirectusError) return parsed;
  const invalid = validateValues(parsed) ?? validateDepth(parsed, ctx.limits) ?? checkFields(parsed, collection, ctx);
  if (invalid) return invalid;
  try {
    return siftPredicate(compileQuery(ctx, parsed, collection), ctx);
  } catch (error) {
    if (error instanceof CompileError) return error.error;
    throw error;
  }
};

/**
 * Directus filter (object, or already JSON-parsed) for `collection` → a predicate, or the DirectusError
 * Directus would answer (Silent where its SQL fails: see filter-sql-limits.ts).
 */
export const compileFilter = (filter: unknown, collection: string, ctx: QueryContext): Predicate | Failure => {
  try {
    return compile(filter, collection, ctx);
  } catch {
    // Only pathological input gets here (a hostile getter, a stack overflow): refuse it, never throw.
    return invalidQuery('Invalid filter object');
  }
};
