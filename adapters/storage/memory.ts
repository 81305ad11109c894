// In-memory storage for tests: behaves like the file (JSON copies in and out) without touching disk.
import { isDataObject, StorageLoadError, type Storage } from './port.ts';

// A JSON round trip rather than structuredClone, so what survives is exactly what a file would keep.
const copyAsJson = (data: unknown): unknown => {
  const text = JSON.stringify(data);
  if (text === undefined) throw new TypeError('Storage can only save JSON data; got undefined');
  return JSON.parse(text);
};

export const createMemoryStorage = (initial: unknown): Storage => {
  let stored = copyAsJson(initial);
  return {
    async load() {
      if (!isDataObject(stored)) {
        throw new StorageLoadError('memory storage', 'not-an-object', 'top level must be a JSON object');
      }
      return copyAsJson(stored);
    },
    async save(data) {
      if (!isDataObject(data)) throw new TypeError('Storage can only save a JSON object at the top level');
      stored = copyAsJson(data);
    },
  };
};
