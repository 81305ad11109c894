// LIKE, as Directus's `_contains`/`_starts_with`/… and search use it: `%` is any run of characters,
// `_` exactly one character, no escape character. How case is folded depends on the database and the
// operator (see LikeFold): SQLite's LIKE matches ASCII letters in either case and every other
// character only itself; Postgres's LIKE matches case exactly, and its LOWER() folds every letter.
//
// Patterns come from clients and may be megabytes long, so nothing here builds a regular expression
// from them. Pattern and text are case-folded (ASCII only) once, the pattern is split at `%`, and each
// piece is found left to right with `indexOf`: time and memory linear in pattern and text. A piece
// holding `_` is found by its longest literal run and checked around it, which costs at most
// text × piece length when the text is full of near misses.

import { DatabaseFailure } from '../../errors.ts';
import { LIKE_PATTERN_MAX_BYTES } from '../shared/limits.ts';

/** ASCII letters to lower case, every other character as it is (SQLite's LIKE and LOWER fold no more). */
export const asciiLower = (s: string): string => (/[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (run) => run.toLowerCase()) : s);

const hasSurrogate = (s: string): boolean => /[\uD800-\uDFFF]/.test(s);

/** `s LIKE pattern` for a non-null `s`. */
export type LikeMatcher = (s: string) => boolean;

/**
 * How text and pattern are case-folded before matching: `ascii` (SQLite's LIKE, and its LOWER),
 * `none` (Postgres's LIKE), `unicode` (`LOWER(column) LIKE lower(needle)` on Postgres: the column is
 * lower-cased whole, the pattern arrives lower-cased, the match is exact).
 */
export type LikeFold = 'ascii' | 'none' | 'unicode';

/** One `%`-free piece: its characters, and whether any of them is the `_` wildcard. */
interface Piece {
  readonly text: string;
  readonly wild: boolean;
  /** The longest run without `_` and where it starts in `text` (for a wild piece). */
  readonly anchor: string;
  readonly anchorAt: number;
}

const pieceOf = (text: string): Piece => {
  if (!text.includes('_')) return { text, wild: false, anchor: text, anchorAt: 0 };
  let anchor = '';
  let anchorAt = 0;
  let start = 0;
  for (const run of text.split('_')) {
    if (run.length > anchor.length) {
      anchor = run;
      anchorAt = start;
    }
    start += run.length + 1;
  }
  return { text, wild: true, anchor, anchorAt };
};

/** Whether `piece` matches `s` exactly at `at` (code units; `_` matches any one). */
const matchesAt = (s: string, at: number, piece: string): boolean => {
  if (at < 0 || at + piece.length > s.length) return false;
  for (let i = 0; i < piece.length; i++) {
    const p = piece.charCodeAt(i);
    if (p !== 95 && p !== s.charCodeAt(at + i)) return false;
  }
  return true;
};

/** The first index ≥ `from` where `piece` matches `s` (code units), or -1. */
const find = (s: string, piece: Piece, from: number): number => {
  if (!piece.wild) return s.indexOf(piece.text, from);
  let at = s.indexOf(piece.anchor, from + piece.anchorAt);
  while (at !== -1) {
    const start = at - piece.anchorAt;
    if (start + piece.text.length > s.length) return -1;
    if (matchesAt(s, start, piece.text)) return start;
    at = s.indexOf(piece.anchor, at + 1);
  }
  return -1;
};

/**
 * The matcher over code units. `_` is one code unit here, so it is only used when neither the
 * pattern's wildcards nor the text can meet a surrogate pair (see likeMatcher).
 */
const unitMatcher = (pieces: readonly Piece[]): LikeMatcher => {
  if (pieces.length === 1) {
    const only = pieces[0]!;
    return (s) => s.length === only.text.length && matchesAt(s, 0, only.text);
  }
  const head = pieces[0]!;
  const tail = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((p) => p.text !== '');
  const minimum = pieces.reduce((n, p) => n + p.text.length, 0);
  return (s) => {
    if (s.length < minimum || !matchesAt(s, 0, head.text)) return false;
    let pos = head.text.length;
    for (const piece of middle) {
      const at = find(s, piece, pos);
      if (at === -1) return false;
      pos = at + piece.text.length;
    }
    // The last piece as far right as it goes: any match ending the text after `pos` will do.
    const end = s.length - tail.text.length;
    return end >= pos && matchesAt(s, end, tail.text);
  };
};

/** Whether a pattern has ASCII letters, upper-case ones, surrogates (single-character regex scans: linear, native). */
const survey = (pattern: string) => ({ letters: /[A-Za-z]/.test(pattern), upper: /[A-Z]/.test(pattern), surrogates: hasSurrogate(pattern) });

// The last pattern's matcher: a search builds the same pattern for every field it searches.
let lastPattern: string | undefined;
let lastFold: LikeFold | undefined;
let lastMatcher: LikeMatcher | undefined;

export const likeMatcher = (pattern: string, fold: LikeFold = 'ascii'): LikeMatcher => {
  if (pattern === lastPattern && fold === lastFold) return lastMatcher!;
  const matcher = fold === 'ascii' ? buildMatcher(pattern, true) : fold === 'none' ? buildMatcher(pattern, false) : lowerCased(buildMatcher(pattern, false));
  lastPattern = pattern;
  lastFold = fold;
  lastMatcher = matcher;
  return matcher;
};

const lowerCased = (match: LikeMatcher): LikeMatcher => (s) => match(s.toLowerCase());

const buildMatcher = (pattern: string, foldAscii: boolean): LikeMatcher => {
  const found = survey(pattern);
  const surrogates = found.surrogates;
  const letters = foldAscii && found.letters;
  const upper = foldAscii && found.upper;
  const folded = upper ? asciiLower(pattern) : pattern;
  const pieces = folded.split('%').map(pieceOf);
  const match = unitMatcher(pieces);
  const needsFold = letters;
  // No text shorter than the pattern's characters (in code points) can match: skip it before folding.
  const shortest = (surrogates ? Array.from(folded).length : folded.length) - (pieces.length - 1);
  // `_` is one character: where it could meet a surrogate pair, match on code points instead.
  if (pieces.some((p) => p.wild)) {
    const astral = codePointMatcher(folded);
    if (surrogates) return (s) => s.length >= shortest && astral(needsFold ? asciiLower(s) : s);
    return (s) => {
      if (s.length < shortest) return false;
      const text = needsFold ? asciiLower(s) : s;
      return hasSurrogate(text) ? astral(text) : match(text);
    };
  }
  return needsFold ? (s) => s.length >= shortest && match(asciiLower(s)) : match;
};

// ------------------------------------------------------------------ astral characters with `_`

/** Whether `piece` (code points, `_` any one) matches the code points `s` exactly at `i`. */
const codePointsAt = (s: readonly string[], i: number, piece: readonly string[]): boolean => {
  if (i < 0 || i + piece.length > s.length) return false;
  for (let k = 0; k < piece.length; k++) if (piece[k] !== '_' && piece[k] !== s[i + k]) return false;
  return true;
};

/**
 * The rare case: `_` and characters outside the BMP together. Matches on arrays of code points with
 * the same left-to-right piece search, so it stays linear in memory; only ever reached when both
 * the pattern has `_` and the text or pattern has a surrogate pair.
 */
const codePointMatcher = (folded: string) => (text: string): boolean => {
  const s = Array.from(text);
  const pieces = folded.split('%').map((p) => Array.from(p));
  if (pieces.length === 1) return s.length === pieces[0]!.length && codePointsAt(s, 0, pieces[0]!);
  const head = pieces[0]!;
  const tail = pieces[pieces.length - 1]!;
  if (!codePointsAt(s, 0, head)) return false;
  let pos = head.length;
  for (const piece of pieces.slice(1, -1)) {
    if (piece.length === 0) continue;
    let found = -1;
    for (let i = pos; i + piece.length <= s.length; i++) {
      if (codePointsAt(s, i, piece)) {
        found = i;
        break;
      }
    }
    if (found === -1) return false;
    pos = found + piece.length;
  }
  const end = s.length - tail.length;
  return end >= pos && codePointsAt(s, end, tail);
};

/** The `%v%` / `v%` / `%v` patterns Directus builds, with `v` written as Directus's template literal would. */
/** What a query with such a pattern answers: no reply over WebSocket, a 500 over HTTP. */
export const LIKE_TOO_COMPLEX = new DatabaseFailure('SQLITE_ERROR: LIKE or GLOB pattern too complex');

/** Whether SQLite refuses `pattern` as too long: its length decides first, so a huge one is never read. */
export const likePatternTooLong = (pattern: string): boolean => {
  if (pattern.length > LIKE_PATTERN_MAX_BYTES) return true; // a UTF-16 unit is at least one UTF-8 byte
  if (pattern.length * 3 <= LIKE_PATTERN_MAX_BYTES) return false; // ... and at most three
  let bytes = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    const pair = c >= 0xd800 && c < 0xdc00 && (pattern.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (pair) i++;
  }
  return bytes > LIKE_PATTERN_MAX_BYTES;
};

export const likePattern = (kind: 'contains' | 'starts_with' | 'ends_with', value: string): string =>
  kind === 'contains' ? `%${value}%` : kind === 'starts_with' ? `${value}%` : `%${value}`;
