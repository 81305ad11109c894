// Query strings as Directus reads them: `qs` (what Express and Directus use) with Directus's limits
// (QUERYSTRING_MAX_PARSE_DEPTH 10, QUERYSTRING_ARRAY_LIMIT 500). Bracket syntax (`filter[a][_eq]=1`,
// `groupBy[]=a`), repeated keys (arrays) and `+` as a space all come from qs; JSON strings and CSV lists
// stay strings here and are read by the shared query sanitizer, exactly as over WebSocket.
import qs from 'qs';

export type RawQuery = Readonly<Record<string, unknown>>;

export const parseQueryString = (raw: string): RawQuery =>
  qs.parse(raw, { depth: 10, arrayLimit: 500 }) as RawQuery;
