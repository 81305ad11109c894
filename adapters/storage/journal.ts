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

export const journalHeaderLine = (baseText: string): string => `${JSON.stringify({ format: FORMAT, base: hashText(baseText) })}\n`;

export const journalEntryLine = (ops: readonly Operation[]): string => `${JSON.stringify(ops)}\n`;

export type ReplayOutcome = { applied: number } | { stale: true };

/** Apply the journal's entries to `data` (in place). A torn last line (a crash mid-append) is dropped. */
export const replayJournal = (journalPath: string, journalText: string, baseText: string, data: unknown): ReplayOutcome => {
  const fail = (detail: string, cause?: unknown) => new StorageLoadError(journalPath, 'invalid-journal', detail, { cause });
  const lines = journalText.split('\n');
  lines.pop(); // after the last '\n': empty, or an entry whose append never finished (never acknowledged)
  if (lines.length === 0) return { stale: true };

  let header: { format?: unknown; base?: unknown };
  try {
    header = JSON.parse(lines[0]!) as typeof header;
  } catch (error) {
    throw fail('the first line is not a journal header', error);
  }
  if (header?.format !== FORMAT) throw fail(`unknown journal format ${JSON.stringify(header?.format)}, expected "${FORMAT}"`);
  if (header.base !== hashText(baseText)) return { stale: true };

  for (let i = 1; i < lines.length; i++) {
    try {
      const ops = JSON.parse(lines[i]!) as Operation[];
      jsonpatch.applyPatch(data, ops, true, true);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw fail(`entry on line ${i + 1} cannot be applied: ${reason}`, error);
    }
  }
  return { applied: lines.length - 1 };
};
