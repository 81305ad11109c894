// What must differ between two servers is replaced by placeholders before replies are compared:
// uuids neither fixture holds, tokens, password hashes, and the random aliases Directus gives the
// tables it joins in a select (a Postgres error names the statement: `left join "products" as "uqdhl"`).
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const JWT = /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/;
const TOKEN_KEYS = new Set(['access_token', 'refresh_token']);
const JOIN_ALIAS = /(?:join|from) "[^"]+" as "([a-z]{5})"/g;

/** Each table alias of a statement, wherever it appears, as `<A1>`, `<A2>`… in order of appearance. */
const withAliases = (text: string): string => {
  const aliases = [...new Set([...text.matchAll(JOIN_ALIAS)].map((m) => m[1]!))];
  return aliases.reduce((out, alias, i) => out.replace(new RegExp(`\\b${alias}\\b`, 'g'), `<A${i + 1}>`), text);
};

export const normalise = (value: unknown, known: ReadonlySet<string>): unknown => {
  if (typeof value === 'string') {
    if (JWT.test(value)) return '<TOKEN>';
    if (value.startsWith('$argon2')) return '<HASH>';
    return withAliases(value.replace(UUID, (u) => (known.has(u.toLowerCase()) || known.has(u) ? u : '<UUID>')));
  }
  if (Array.isArray(value)) return value.map((v) => normalise(v, known));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = TOKEN_KEYS.has(k) && typeof v === 'string' ? '<TOKEN>' : normalise(v, known);
    return out;
  }
  return value;
};

/** JSON with object keys sorted: key order is not part of a reply's meaning. */
export const canonical = (value: unknown): string => JSON.stringify(value, (_k, v) =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v);
