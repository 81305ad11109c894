// The open journal file: started on a db.json text with its header line, then one entry appended
// at a time, each on disk before the append resolves (O_DSYNC). What goes in it is journal-file.ts's
// decision; the line format is journal.ts's.
import { constants } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { writeFileAtomically } from './atomic-write.ts';
import { journalHeaderLine } from './journal.ts';
import { StorageLoadError } from './port.ts';

export interface OpenJournal {
  handle: FileHandle;
  bytes: number;
  entries: number;
}

/** The journal's text, or undefined when there is none. */
export const readJournalText = async (journalPath: string): Promise<string | undefined> => {
  try {
    return await readFile(journalPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new StorageLoadError(journalPath, 'unreadable', `cannot read the journal (${code ?? String(error)})`, { cause: error });
  }
};

/** Starts an empty journal continuing the db.json whose text is `base`; undefined when that fails. */
export const startJournal = async (journalPath: string, base: string, keys: Record<string, string> | undefined): Promise<OpenJournal | undefined> => {
  try {
    const header = journalHeaderLine(base, keys);
    await writeFileAtomically(journalPath, header);
    // O_DSYNC: each append returns once its data is on disk, one system call instead of write + fdatasync.
    const handle = await open(journalPath, constants.O_WRONLY | constants.O_APPEND | constants.O_DSYNC);
    return { handle, bytes: Buffer.byteLength(header), entries: 0 };
  } catch {
    return undefined;
  }
};

/** Appends one entry line of `bytes` bytes; counts it once it is on disk. */
export const appendEntry = async (journal: OpenJournal, line: string, bytes: number): Promise<void> => {
  await journal.handle.appendFile(line, 'utf8');
  journal.bytes += bytes;
  journal.entries++;
};
