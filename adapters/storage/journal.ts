// The journal beside the data file (db.json.journal): JSON Lines, a header naming the exact db.json
// it continues (by content hash), then one RFC 6902 patch per save. Replaying it onto that db.json
// gives the latest saved state. A journal whose base is not the current db.json is stale (compaction
// replaced db.json but died before resetting the journal, or someone replaced the file) and is skipped.
import jsonpatch from 'fast-json-patch';
import { createHash } from 'node:crypto';
import { StorageLoadError } from './port.ts';
import type { Operation } from './json-diff.ts';

const FORMAT = 'standin-journal/1';

export const journalPathFor = (dataPath: string): string => `${dataPath}.journal`;

export const hashText = (text: string): string => createHash('sha1').update(text).digest('hex');

/**
 * The header naming the db.json the journal continues. With `keys` (collection → primary-key field)
 * the entries address rows by key (`/articles/#12`), not by array index: see keyedView.
 */
export const journalHeaderLine = (baseText: string, keys?: Record<string, string>): string =>
  `${JSON.stringify(keys ? { format: FORMAT, base: hashText(baseText), keys } : { format: FORMAT, base: hashText(baseText) })}\n`;

/** The JSON Pointer segment of a row in the keyed view. The `#` keeps keys like `__proto__` harmless. */
export const rowSegment = (key: string | number): string => `#${String(key)}`.replaceAll('~', '~0').replaceAll('/', '~1');

/** Collections as objects keyed by `#<primary key>`, so a journal entry touches one row, not an array. */
const keyedView = (data: Record<string, unknown>, keys: Record<string, string>): Record<string, Record<string, unknown>> => {
  const view: Record<string, Record<string, unknown>> = {};
  for (const [collection, field] of Object.entries(keys)) {
    const value = data[collection];
    const rows = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
    const keyed: Record<string, unknown> = {};
    for (const row of rows) keyed[`#${String((row as Record<string, unknown>)[field])}`] = row;
    view[collection] = keyed;
  }
  return view;
};

/** Writes a keyed view back into the data file's shape (a singleton object stays an object). */
const unkey = (data: Record<string, unknown>, view: Record<string, Record<string, unknown>>): void => {
  for (const [collection, keyed] of Object.entries(view)) {
    const rows = Object.values(keyed);
    const wasObject = data[collection] !== undefined && !Array.isArray(data[collection]);
    data[collection] = wasObject && rows.length === 1 ? rows[0] : rows;
  }
};

export const journalEntryLine = (ops: readonly Operation[]): string => `${JSON.stringify(ops)}\n`;

export type ReplayOutcome = { applied: number } | { stale: true };

/** Apply the journal's entries to `data` (in place). A torn last line (a crash mid-append) is dropped. */
export const replayJournal = (journalPath: string, journalText: string, baseText: string, data: unknown): ReplayOutcome => {
  const fail = (detail: string, cause?: unknown) => new StorageLoadError(journalPath, 'invalid-journal', detail, { cause });
  const lines = journalText.split('\n');
  lines.pop(); // after the last '\n': empty, or an entry whose append never finished (never acknowledged)
  if (lines.length === 0) return { stale: true };

  let header: { format?: unknown; base?: unknown; keys?: unknown };
  try {
    header = JSON.parse(lines[0]!) as typeof header;
  } catch (error) {
    throw fail('the first line is not a journal header', error);
  }
  if (header?.format !== FORMAT) throw fail(`unknown journal format ${JSON.stringify(header?.format)}, expected "${FORMAT}"`);
  if (header.base !== hashText(baseText)) return { stale: true };

  const keys = header.keys && typeof header.keys === 'object' ? (header.keys as Record<string, string>) : undefined;
  const target = keys ? keyedView(data as Record<string, unknown>, keys) : data;
  for (let i = 1; i < lines.length; i++) {
    try {
      const ops = JSON.parse(lines[i]!) as Operation[];
      jsonpatch.applyPatch(target, ops, true, true);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw fail(`entry on line ${i + 1} cannot be applied: ${reason}`, error);
    }
  }
  if (keys) unkey(data as Record<string, unknown>, target as Record<string, Record<string, unknown>>);
  return { applied: lines.length - 1 };
};
