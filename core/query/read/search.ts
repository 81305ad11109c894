// `search` → a predicate (Directus's applySearch on SQLite): an OR over the root collection's own
// fields — case-insensitive LIKE on string/text, equality on numeric fields when the search is a
// canonical number, equality on uuid fields when it is a UUID. Relations are not searched.
import type { QueryContext } from '../shared/context.ts';
import { canReadField } from '../shared/context.ts';
import type { Predicate } from '../filter/predicates.ts';
import { siftPredicate, type SiftQuery, type Source } from '../filter/operations.ts';
import { kindOf } from '../filter/values.ts';
import { LIKE_TOO_COMPLEX, likePattern, likePatternTooLong } from '../filter/like.ts';
import { LIKE_PATTERN_MAX_BYTES } from '../shared/limits.ts';
import { Silent } from '../../errors.ts';

const NUMERIC = new Set(['integer', 'bigInteger', 'float', 'decimal']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** parseNumericString: the number, only when writing it back gives the search text exactly. */
const canonicalNumber = (text: string): number | null => {
  // No double is written with more digits than this (a 5 MB search is not parsed as a number).
  if (text.length > 400) return null;
  const n = Number(text);
  if (!Number.isFinite(n)) return null;
  if (Number.isSafeInteger(n) || !Number.isInteger(n)) return String(n) === text ? n : null;
  try {
    return String(BigInt(text)) === text ? n : null;
  } catch {
    return null;
  }
};

/** One condition of a search: a case-insensitive LIKE on a text field, or equality with the search's value. */
export type SearchTerm =
  | { readonly field: string; readonly like: true; readonly pattern: string }
  | { readonly field: string; readonly like: false; readonly value: number | string };

/** applySearch's conditions for `collection` in field order, or the failure SQLite gives a too long pattern. */
export const searchTerms = (search: string, collection: string, ctx: QueryContext): SearchTerm[] | Silent => {
  const info = Object.hasOwn(ctx.schema.collections, collection) ? ctx.schema.collections[collection] : undefined;
  if (!info) return [];
  const number = canonicalNumber(search);
  // A search of megabytes is judged by its length alone: lower-casing or matching it would copy it
  // (it may arrive as a string in pieces) and hold every other client for as long.
  const tooLong = search.length + 2 > LIKE_PATTERN_MAX_BYTES;
  let pattern: string | undefined;
  const out: SearchTerm[] = [];
  for (const name of info.fieldOrder) {
    const field = info.fields[name]!;
    if (!field.searchable || field.special.includes('conceal') || !canReadField(ctx, collection, name)) continue;
    if (field.type === 'string' || field.type === 'text') {
      pattern ??= tooLong ? '' : likePattern('contains', search.toLowerCase());
      if (tooLong || likePatternTooLong(pattern)) return LIKE_TOO_COMPLEX;
      out.push({ field: name, like: true, pattern });
    } else if (NUMERIC.has(field.type) && number !== null) {
      out.push({ field: name, like: false, value: number });
    } else if (field.type === 'uuid' && search.length === 36 && UUID.test(search)) {
      out.push({ field: name, like: false, value: search });
    }
  }
  return out;
};

const conditions = (search: string, collection: string, ctx: QueryContext): SiftQuery[] | Silent => {
  const terms = searchTerms(search, collection, ctx);
  if (terms instanceof Silent) return terms;
  return terms.map((term) => {
    const field = ctx.schema.collections[collection]!.fields[term.field]!;
    const source: Source = { collection, field: term.field, kind: kindOf(field.type), fn: null };
    return term.like
      ? { $dlike: { source, patterns: [term.pattern], lower: true } }
      : { $deq: { source, value: term.value } };
  });
};

/** `search` for `collection`; an empty search matches everything, a search no field can take matches nothing. */
export const compileSearch = (search: string, collection: string, ctx: QueryContext): Predicate | Silent => {
  try {
    if (typeof search !== 'string' || search === '') return () => true;
    const parts = conditions(search, collection, ctx);
    if (parts instanceof Silent) return parts;
    return siftPredicate(parts.length === 1 ? parts[0]! : { $dor: parts }, ctx);
  } catch {
    return () => false;
  }
};
