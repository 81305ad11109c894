// Three limits Directus meets in SQLite when it turns a filter into SQL, measured on Directus 12.4:
// an expression tree deeper than 1000 ("Expression tree is too large (maximum depth 1000)", e.g. an
// `_or` of 999 `_eq`s), 32766 bound values ("too many SQL variables", e.g. an `_in` of 32766), and,
// when the query runs, a LIKE pattern over 50,000 bytes (`_contains` and its kin; see like.ts).
// Directus answers both with a 500 (the SQL error as the message for admins) and no reply over
// WebSocket. standin refuses the same filters the same way, from the raw filter before parsing it,
// so a 50,000-clause `_and` or a million-element `_in` costs one walk, not a compile and a scan per
// row. (Directus would report a forbidden field in such a filter first; standin reports the SQL error.)
import { Silent } from '../../errors.ts';
import { LIKE_TOO_COMPLEX, likePattern, likePatternTooLong } from './like.ts';
import { LIKE_PATTERN_MAX_BYTES } from '../shared/limits.ts';

const MAX_EXPRESSION_DEPTH = 1000;
const MAX_VARIABLES = 32766;
/** Deeper filters are refused by the parser (filter-parse.ts); the height walk stops there too. */
const MAX_NESTING = 300;

/** Operators knex writes as `not (…)`: one level more than their positive form. */
const NEGATED = new Set(['_neq', '_nin', '_nbetween', '_ncontains', '_nstarts_with', '_nistarts_with', '_nends_with', '_niends_with', '_nintersects', '_nintersects_bbox']);
const NO_VALUE = new Set(['_null', '_nnull', '_empty', '_nempty']);
const LOGICAL = new Set(['_and', '_or']);
const QUANTIFIERS = new Set(['_some', '_none']);

/** The operators Directus writes as LIKE, and the pattern each makes of its value. */
const LIKE: Readonly<Record<string, 'contains' | 'starts_with' | 'ends_with'>> = {
  _contains: 'contains', _ncontains: 'contains', _icontains: 'contains', _nicontains: 'contains',
  _starts_with: 'starts_with', _nstarts_with: 'starts_with', _istarts_with: 'starts_with', _nistarts_with: 'starts_with',
  _ends_with: 'ends_with', _nends_with: 'ends_with', _iends_with: 'ends_with', _niends_with: 'ends_with',
};

/** Whether SQLite refuses the LIKE pattern of `operator` on `value`; a string of megabytes is judged by its length alone (never read). */
const likeTooLong = (operator: string, value: unknown): boolean => {
  if (typeof value !== 'string' || !Object.hasOwn(LIKE, operator)) return false;
  if (value.length >= LIKE_PATTERN_MAX_BYTES) return true;
  const lower = operator.startsWith('_i') || operator.startsWith('_ni');
  return likePatternTooLong(likePattern(LIKE[operator]!, lower ? value.toLowerCase() : value));
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Objects and arrays a filter walk visits at most: far beyond a real filter, and a bound on a cyclic one. */
const MAX_VISITS = 1_000_000;

/**
 * Values the SQL binds: one per comparison, each element of a list (stops counting at the limit);
 * and whether a LIKE pattern among them is too long.
 */
const bound = (filter: unknown): { variables: number; longLike: boolean; entries: number } => {
  let n = 0;
  let longLike = false;
  let visits = 0;
  let entries = 0;
  const stack: unknown[] = [filter];
  while (stack.length > 0 && n < MAX_VARIABLES) {
    // Parsed JSON has no cycles, but a caller in the same process may pass any object.
    if (++visits > MAX_VISITS) return { variables: MAX_VARIABLES, longLike, entries };
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      entries += value.length;
      for (let i = 0; i < value.length; i++) stack.push(value[i]);
      continue;
    }
    const object = value as Record<string, unknown>;
    for (const key in object) {
      if (!Object.hasOwn(object, key)) continue;
      entries++;
      const nested = object[key];
      if (key.charCodeAt(0) !== 95 || LOGICAL.has(key) || QUANTIFIERS.has(key)) stack.push(nested);
      else if (!NO_VALUE.has(key)) {
        n += Array.isArray(nested) ? nested.length : 1;
        longLike ||= likeTooLong(key, nested);
      }
    }
  }
  return { variables: n, longLike, entries };
};

/**
 * An upper bound of `height` from the number of keys and list members the `bound` walk met: each adds
 * at most 3 to the height (a negated comparison), a hop or a chain link 1 more.
 */
const heightAtMost = (entries: number): number => 4 * entries;

/** An `_and`/`_or` of k is a left-deep chain of k − 1 operators: its first member sits k − 1 levels down, its i-th (from 1) k − i. */
const chain = (heights: readonly number[]): number => {
  const k = heights.length;
  let max = 0;
  heights.forEach((h, i) => {
    max = Math.max(max, h + (i === 0 ? k - 1 : k - i));
  });
  return max;
};

/**
 * SQLite's height of the filter's expression: a comparison is 2 (column and value under the
 * operator), a negated one 3, a relational hop or an EXISTS one more; the keys of one object and the
 * members of an `_and`/`_or` are chains.
 */
const height = (filter: unknown, nesting: number): number => {
  if (!isObject(filter) || nesting > MAX_NESTING) return 0;
  const parts: number[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (LOGICAL.has(key)) parts.push(Array.isArray(value) ? chain(value.map((item) => height(item, nesting + 1))) : 0);
    else if (QUANTIFIERS.has(key)) parts.push(height(value, nesting + 1) + 1);
    else if (key.startsWith('_')) parts.push(NEGATED.has(key) ? 3 : 2);
    else {
      const operatorsOnly = isObject(value) && Object.keys(value).every((k) => k.startsWith('_') && !LOGICAL.has(k) && !QUANTIFIERS.has(k));
      parts.push(height(value, nesting + 1) + (operatorsOnly ? 0 : 1));
    }
  }
  return chain(parts);
};

/** The error Directus's SQL would run into for this raw filter, if any (Silent: no reply over WebSocket, a 500 over HTTP). */
export const sqlLimitExceeded = (filter: unknown): Silent | null => {
  // SQLite prepares the statement (variables, depth) before it runs it (LIKE patterns).
  const { variables, longLike, entries } = bound(filter);
  if (variables >= MAX_VARIABLES) return new Silent('SQLITE_ERROR: too many SQL variables');
  // The exact height costs a second walk, worth it only for a filter that might be that deep.
  if (heightAtMost(entries) >= MAX_EXPRESSION_DEPTH && height(filter, 0) >= MAX_EXPRESSION_DEPTH) return new Silent(`SQLITE_ERROR: Expression tree is too large (maximum depth ${MAX_EXPRESSION_DEPTH})`);
  return longLike ? LIKE_TOO_COMPLEX : null;
};
