// The data file as storage: a plain, pretty-printed db.json, read through lowdb's TextFile and
// replaced atomically and durably on every save (see atomic-write.ts).
import { TextFile } from 'lowdb/node';
import { findJsonSyntaxError } from './json-error-position.ts';
import { writeFileAtomically } from './atomic-write.ts';
import { createOwnWritesRecord, type OwnWrites } from './own-writes.ts';
import { isDataObject, StorageLoadError, type Storage } from './port.ts';

export interface JsonFileStorage extends Storage {
  readonly path: string;
  /** What we wrote or loaded, for `watchFile` to ignore our own writes. */
  readonly ownWrites: OwnWrites;
}

/** The text of the data file for `data`: 2-space JSON with a final newline, as a person would keep it. */
export const toDataFileText = (data: unknown): string => {
  if (!isDataObject(data)) throw new TypeError('Storage can only save a JSON object at the top level');
  return `${JSON.stringify(data, null, 2)}\n`;
};

/** Parse data-file text, or throw a StorageLoadError that says where it goes wrong. */
export const parseDataFileText = (path: string, text: string): Record<string, unknown> => {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const at = findJsonSyntaxError(text);
    const where = at ? ` at line ${at.line}, column ${at.column} (position ${at.offset})` : '';
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new StorageLoadError(path, 'invalid-json', `invalid JSON${where}: ${reason}`, { cause: error });
  }
  if (!isDataObject(data)) {
    const found = Array.isArray(data) ? 'an array' : data === null ? 'null' : `a ${typeof data}`;
    throw new StorageLoadError(path, 'not-an-object', `the top level must be a JSON object ({ "collection": [...] }), found ${found}`);
  }
  return data;
};

/** The data file's text, or a StorageLoadError for a missing or unreadable file. */
export const readDataFileText = async (path: string): Promise<string> => {
  let text: string | null;
  try {
    text = await new TextFile(path).read();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new StorageLoadError(path, 'unreadable', `cannot read the file (${code})`, { cause: error });
  }
  if (text === null) {
    throw new StorageLoadError(path, 'missing', `file not found (create it first, e.g. with the content {})`);
  }
  return text;
};

export const createJsonFileStorage = (path: string): JsonFileStorage => {
  const ownWrites = createOwnWritesRecord();
  return {
    path,
    ownWrites,
    async load() {
      const text = await readDataFileText(path);
      const data = parseDataFileText(path, text);
      ownWrites.loaded(text);
      return data;
    },
    async save(data) {
      const text = toDataFileText(data);
      const write = ownWrites.begin(text);
      try {
        await writeFileAtomically(path, text, { beforeRename: write.identified, afterRename: write.landed });
      } catch (error) {
        write.failed();
        throw error;
      }
    },
  };
};
