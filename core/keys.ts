// Primary keys a client sends: which ones Directus accepts at all (its validateKeys), and which stored
// row each one matches under SQLite's comparison rules (a bound value against the key column's affinity).
import type { PrimaryKey, Schema } from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Directus's validateKeys: an `integer` key must be `Number.isInteger(Number(key))` (so "1.0", " 2 ",
 * "1e1" and `true` pass, "abc", 1.5 and objects do not), a `uuid` key must look like a uuid; any other
 * key type is not checked. A list passes when every member does. A key that fails is FORBIDDEN and
 * the call changes nothing.
 */
export const validKey = (schema: Schema, collection: string, key: unknown): boolean => {
  if (Array.isArray(key)) return key.every((k) => validKey(schema, collection, k));
  const info = schema.collections[collection];
  const type = info?.fields[info.primary]?.type;
  if (type === 'uuid') return UUID.test(String(key));
  if (type === 'integer') return Number.isInteger(Number(key));
  return true;
};

/** Whether every key in `keys` is one Directus accepts (see validKey). */
export const validKeys = (schema: Schema, collection: string, keys: readonly unknown[]): boolean =>
  keys.every((k) => validKey(schema, collection, k));

// Text SQLite reads as a number when numeric affinity applies: optional blanks around a decimal literal.
const NUMERIC_TEXT = /^[ \t\n\f\r]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\f\r]*$/;

/**
 * The stored key a sent key matches, as SQLite compares a bound value with the key column: an integer
 * column gives numeric text its number ("1.0", " 1", "1e0" all find row 1) and booleans are bound as
 * 1/0; a text column compares numbers as their text. Undefined when no row can match.
 */
export const normalizeKey = (schema: Schema, collection: string, key: unknown): PrimaryKey | undefined => {
  const info = Object.hasOwn(schema.collections, collection) ? schema.collections[collection] : undefined;
  if (!info) return undefined;
  const type = info.fields[info.primary]?.type;
  if (type === 'integer' || type === 'bigInteger') {
    const n = typeof key === 'number' ? key
      : typeof key === 'boolean' ? Number(key)
      : typeof key === 'string' && NUMERIC_TEXT.test(key) ? Number(key)
      : Number.NaN;
    // Beyond 2^53 a double no longer holds every integer: such a key could only name some other row.
    return Number.isSafeInteger(n) ? n : undefined;
  }
  if (typeof key === 'string') return key;
  if (typeof key === 'number') return String(key);
  if (typeof key === 'boolean') return key ? '1' : '0';
  return undefined;
};
