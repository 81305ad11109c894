// `search` → a predicate (Directus's applySearch on SQLite): an OR over the root collection's own
// fields — case-insensitive LIKE on string/text, equality on numeric fields when the search is a
// canonical number, equality on uuid fields when it is a UUID. Relations are not searched.
import type { QueryContext } from '../shared/context.ts';
import { canReadField } from '../shared/context.ts';
import type { Predicate } from '../filter/predicates.ts';
import { siftPredicate, type SiftQuery, type Source } from '../filter/operations.ts';
import { kindOf } from '../filter/values.ts';
import { likePattern } from '../filter/like.ts';

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

const conditions = (search: string, collection: string, ctx: QueryContext): SiftQuery[] => {
  const info = Object.hasOwn(ctx.schema.collections, collection) ? ctx.schema.collections[collection] : undefined;
  if (!info) return [];
  const number = canonicalNumber(search);
  const out: SiftQuery[] = [];
  for (const name of info.fieldOrder) {
    const field = info.fields[name]!;
    if (!field.searchable || field.special.includes('conceal') || !canReadField(ctx, collection, name)) continue;
    const source: Source = { collection, field: name, kind: kindOf(field.type), fn: null };
    if (field.type === 'string' || field.type === 'text') {
      out.push({ $dlike: { source, patterns: [likePattern('contains', search.toLowerCase())], lower: true } });
    } else if (NUMERIC.has(field.type) && number !== null) {
      out.push({ $deq: { source, value: number } });
    } else if (field.type === 'uuid' && UUID.test(search)) {
      out.push({ $deq: { source, value: search } });
    }
  }
  return out;
};

/** `search` for `collection`; an empty search matches everything, a search no field can take matches nothing. */
export const compileSearch = (search: string, collection: string, ctx: QueryContext): Predicate => {
  try {
    if (typeof search !== 'string' || search === '') return () => true;
    const parts = conditions(search, collection, ctx);
    return siftPredicate(parts.length === 1 ? parts[0]! : { $dor: parts }, ctx);
  } catch {
    return () => false;
  }
};
