// The whole of Directus's query check for one request, in its order: sanitizeQuery (shapes, JSON,
// parseFilter), then validateQuery (filter values, alias, relational depth, then Joi's schema). It
// runs before any permission is looked at, so a malformed query is INVALID_QUERY even for a caller
// who may not read the collection.
import { DirectusError, type Failure } from '../errors.ts';
import type { QueryContext } from './shared/context.ts';
import { DEFAULT_LIMITS, relationalDepth, type QueryLimits } from './shared/limits.ts';
import { sqlLimitExceeded } from './filter/sql-limits.ts';
import { isJsonObject as isPlainObject } from '../json.ts';

/** A filter sent as a JSON string, parsed (null when it is not JSON: sanitizeRaw reports that). */
const parsedOrNull = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};
import { parseFilter, type FilterNode } from './filter/parse.ts';
import { validateDepth, validateValues } from './filter/validate.ts';
import { aliasError, joiError, sanitizeRaw, type Query, type Sanitized } from './shared/sanitize.ts';
import { Silent } from '../errors.ts';


/** getFieldRelationalDepth: dotted segments, a function's argument counted from its first argument. */
const pathDepth = (field: string): number => {
  if (!field.includes('.')) return 1;
  const open = field.indexOf('(');
  if (open === -1) return field.split('.').length;
  const comma = field.indexOf(',', open);
  return field.slice(0, open).split('.').length - 1 + field.slice(open, comma === -1 ? undefined : comma).split('.').length;
};

/** calculateFieldDepth over `deep`: nesting of non-`_` keys, `_sort` entries by their dots. */
const deepDepth = (value: unknown): number => {
  if (typeof value !== 'object' || value === null) return 0;
  let depth = 0;
  for (const [key, nested] of Object.entries(value)) {
    if (key === '_json') continue;
    if (key === '_sort' && Array.isArray(nested)) {
      for (const s of nested) if (typeof s === 'string' && s) depth = Math.max(depth, s.split('.').length);
      continue;
    }
    if (typeof nested !== 'object' || nested === null) continue;
    const inner = Array.isArray(nested) ? Math.max(0, ...nested.map(deepDepth)) : deepDepth(nested);
    depth = Math.max(depth, inner + (key.startsWith('_') ? 0 : 1));
  }
  return depth;
};

const depthError = (s: Sanitized, filter: FilterNode | null, limits: QueryLimits): DirectusError | null => {
  const MAX_RELATIONAL_DEPTH = relationalDepth(limits);
  const q = s.query;
  const exceeded = new DirectusError('INVALID_QUERY', 'Invalid query. Max relational depth exceeded.');
  let fields: readonly string[] = q.fields ?? ['*'];
  if (q.aggregate && Object.keys(q.aggregate).length > 0) fields = [];
  if (q.group) fields = q.group;
  if (fields.some((f) => pathDepth(q.alias?.[f] ?? f) > MAX_RELATIONAL_DEPTH)) return exceeded;
  if (filter && validateDepth(filter, limits)) return exceeded;
  if (q.sort?.some((s) => pathDepth(q.alias?.[s.replace(/^-/, '')] ?? s.replace(/^-/, '')) > MAX_RELATIONAL_DEPTH)) return exceeded;
  if (q.deep && deepDepth(q.deep) > MAX_RELATIONAL_DEPTH) return exceeded;
  return null;
};

/** sanitizeQuery + validateQuery for a request's query, with the caller's context for the filter. */
export const checkQuery = (raw: unknown, ctx: QueryContext): Query | Failure => {
  // No query at all (most reads and writes by key): nothing below can fail.
  if (raw === undefined || raw === null) return {};
  let filter: FilterNode | null = null;
  const limits = ctx.limits ?? DEFAULT_LIMITS;
  // What Directus's SQLite could not run is refused before the filter is parsed (see sql-limits.ts).
  const tooLarge = isPlainObject(raw) ? sqlLimitExceeded(typeof raw['filter'] === 'string' ? parsedOrNull(raw['filter']) : raw['filter']) : null;
  if (tooLarge) return tooLarge;
  const sanitized = sanitizeRaw(raw, (value) => {
    const parsed = parseFilter(value, ctx);
    if (parsed instanceof DirectusError) return parsed;
    // The deep levels' filters are parsed too; only the top level's is validated below.
    filter ??= parsed;
    return null;
  }, limits);
  if (sanitized instanceof DirectusError || sanitized instanceof Silent) return sanitized;
  const top = sanitized.query.filter !== undefined ? filter : null;
  return (top ? validateValues(top) : null) ?? aliasError(sanitized.alias) ?? depthError(sanitized, top, limits)
    ?? joiError(sanitized, limits) ?? sanitized.query;
};

/** knex's `parseInt(value, 10)` of a limit or offset. */
const knexInt = (n: number): number => parseInt(String(n), 10);

/**
 * sanitizeQuery alone, as Directus's items controller runs it on the `query` of a PATCH or DELETE
 * body (no validateQuery): values Joi would refuse reach knex, which ignores a limit or offset that
 * is not a number, truncates fractions, lets SQLite treat a negative limit as none, and throws on a
 * negative offset (kept here: the read refuses it once processAst's checks have passed).
 */
export const sanitizeBodyQuery = (raw: unknown, ctx: QueryContext): Query | Failure => {
  const limits = ctx.limits ?? DEFAULT_LIMITS;
  const tooLarge = isPlainObject(raw) ? sqlLimitExceeded(typeof raw['filter'] === 'string' ? parsedOrNull(raw['filter']) : raw['filter']) : null;
  if (tooLarge) return tooLarge;
  const sanitized = sanitizeRaw(raw, (value) => {
    const parsed = parseFilter(value, ctx);
    return parsed instanceof DirectusError ? parsed : null;
  }, limits);
  if (sanitized instanceof DirectusError || sanitized instanceof Silent) return sanitized;
  const { limit, offset, page, ...rest } = sanitized.query;
  const query: { -readonly [K in keyof Query]: Query[K] } = rest;
  if (limit !== undefined) {
    const n = limit === -1 ? -1 : knexInt(limit);
    query.limit = Number.isNaN(n) || n < 0 ? -1 : n;
  }
  let start: number | undefined;
  // applyQuery sets the offset, then (with a page and a limit) the page's offset over it; getDBQuery
  // gives a query without a limit the default one first, so a page alone pages over that.
  // The page's offset replaces the query's even when it is 0 (page 1); an offset of 0 sets nothing.
  const perPage = limit ?? limits.queryLimitDefault;
  for (const value of [offset || undefined, page && perPage && perPage !== -1 ? perPage * (page - 1) : undefined]) {
    if (value === undefined) continue;
    const n = knexInt(value);
    // knex throws on the first negative offset, when the read builds its statement (see pipeline.ts).
    if (n < 0) {
      start = n;
      break;
    }
    if (!Number.isNaN(n)) start = n;
  }
  if (start !== undefined) query.offset = start;
  return query;
};
