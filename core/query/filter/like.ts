// SQLite's LIKE, as Directus's `_contains`/`_starts_with`/… and search use it on SQLite:
// `%` is any run of characters, `_` exactly one character, ASCII letters match either case, every
// other character (including non-ASCII letters) only itself. There is no escape character.
//
// Patterns come from clients, so they are never turned into a regular expression with quantifiers:
// the pattern is split at `%` and each piece (fixed length, `_` as a one-character wildcard) is
// searched left to right. That is linear in the pieces and cannot backtrack catastrophically.

const isAsciiLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/** A regular-expression source for one `%`-free piece; every character is escaped. */
const pieceSource = (piece: string): string => {
  let out = '';
  for (const ch of piece) {
    const code = ch.codePointAt(0)!;
    if (ch === '_') out += '.';
    else if (isAsciiLetter(code)) out += `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
    else if (code >= 48 && code <= 57) out += ch;
    else out += `\\u{${code.toString(16)}}`;
  }
  return out;
};

/** `s LIKE pattern` for a non-null `s`. */
export type LikeMatcher = (s: string) => boolean;

export const likeMatcher = (pattern: string): LikeMatcher => {
  const pieces = pattern.split('%');
  if (pieces.length === 1) {
    const re = new RegExp(`^${pieceSource(pattern)}$`, 'su');
    return (s) => re.test(s);
  }
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((p) => p !== '');
  // The common `%needle%`: a plain search (or `includes` when case and wildcards cannot matter).
  if (first === '' && last === '' && middle.length <= 1) {
    const needle = middle[0];
    if (needle === undefined) return () => true;
    if (!/[A-Za-z_]/.test(needle)) return (s) => s.includes(needle);
    const re = new RegExp(pieceSource(needle), 'su');
    return (s) => re.test(s);
  }
  const head = first === '' ? null : new RegExp(pieceSource(first), 'suy');
  const tail = last === '' ? null : new RegExp(`${pieceSource(last)}$`, 'sug');
  const mids = middle.map((p) => new RegExp(pieceSource(p), 'sug'));
  return (s) => {
    let pos = 0;
    if (head) {
      head.lastIndex = 0;
      if (!head.test(s)) return false;
      pos = head.lastIndex;
    }
    for (const re of mids) {
      re.lastIndex = pos;
      const m = re.exec(s);
      if (m === null) return false;
      pos = m.index + m[0].length;
    }
    if (tail) {
      tail.lastIndex = pos;
      return tail.exec(s) !== null;
    }
    return true;
  };
};

/** The `%v%` / `v%` / `%v` patterns Directus builds, with `v` written as Directus's template literal would. */
export const likePattern = (kind: 'contains' | 'starts_with' | 'ends_with', value: string): string =>
  kind === 'contains' ? `%${value}%` : kind === 'starts_with' ? `${value}%` : `%${value}`;
