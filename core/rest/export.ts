// `?export=` on a route with a payload: Directus's respond middleware answers the payload's `data`
// as a file (its ExportService.transform) instead of the `{data}` envelope. CSV comes from json2csv
// (Directus's own library, here its maintained successor) with nested objects flattened to `a.b`
// columns; JSON is indented with tabs. xml and yaml are not modelled: those reads answer as usual.
import { Parser } from '@json2csv/plainjs';
import { flatten } from '@json2csv/transforms';
import type { JsonValue } from '../types.ts';
import type { RawQuery } from './query-string.ts';
import { attachment, type HttpReply } from './respond.ts';

type Format = 'csv' | 'csv_utf8' | 'json';

const FORMATS: ReadonlySet<unknown> = new Set<Format>(['csv', 'csv_utf8', 'json']);

/** The export format a request asks for, when it is one standin writes. */
export const exportFormat = (query: RawQuery): Format | undefined =>
  FORMATS.has(query['export']) ? (query['export'] as Format) : undefined;

const two = (n: number): string => String(n).padStart(2, '0');

/** getDateTimeFormatted (server time, UTC here): `20261206-93005`, hours, minutes and seconds unpadded. */
const stamp = (now: number): string => {
  const d = new Date(now);
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}-${d.getUTCHours()}${d.getUTCMinutes()}${d.getUTCSeconds()}`;
};

const csv = (data: JsonValue | undefined, withBOM: boolean): string => {
  if (Array.isArray(data) && data.length === 0) return '';
  const parser = new Parser({ transforms: [flatten({ separator: '.' })], header: true, withBOM });
  return parser.parse(data as Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[]);
};

/** The payload's `data` as the file Directus sends, named after the collection and the time. */
export const exportReply = (format: Format, data: JsonValue | undefined, collection: string, now: number): HttpReply => {
  const name = `${collection} ${stamp(now)}`;
  if (format === 'json') return attachment(JSON.stringify(data ?? null, null, '\t'), 'application/json; charset=utf-8', `${name}.json`);
  return attachment(csv(data, format === 'csv_utf8'), 'text/csv; charset=utf-8', `${name}.csv`);
};
