// The file-backed server: load db.json (replaying a leftover journal), serve it, and store every
// change durably before it is acknowledged. Composition only: storage, committer, watcher, server.
import { createState, dataFromJson, DirectusError, unservedParts, type Config, type Data, type State } from '../core/index.ts';
import type { AccessEvent } from './access-log.ts';
import { homePage } from './home-page.ts';
import { createCommitter } from './storage/committer.ts';
import { createJournaledFileStorage } from './storage/journal-file.ts';
import { stateCodec } from './storage/state-codec.ts';
import type { FileIdentity } from './storage/own-writes.ts';
import { watchFile } from './storage/watch.ts';
import { startServer, type RunningServer, type ServerOptions } from './ws-server.ts';

export interface FileServerOptions {
  readonly file: string;
  readonly schema?: unknown;
  readonly port?: number;
  readonly host?: string;
  readonly config?: Partial<Config>;
  readonly seed?: number;
  /**
   * `durable`: a write is acknowledged once it is on disk (default). `fast`: acknowledged at once,
   * stored right behind. `memory`: the file is read once and never written.
   */
  readonly mode?: 'durable' | 'fast' | 'memory';
  /** Merge the changes when another program edits the file (see outside-edit.ts in the core). */
  readonly watch?: boolean;
  /** Connection and frame limits for the WebSocket server. */
  readonly limits?: Pick<ServerOptions, 'maxConnections' | 'maxPayload' | 'maxBufferedBytes'>;
  readonly log?: (line: string) => void;
  /** Told of every request and WebSocket connection (the access log). */
  readonly onAccess?: (event: AccessEvent) => void;
  /** Serve the home page at /admin (`/` redirects there). */
  readonly homePage?: boolean;
}

export interface FileServer {
  readonly server: RunningServer;
  /** Stops serving, stores what is pending, folds the journal into db.json. */
  close(): Promise<void>;
}

/** How many versions of the file an outside edit may have been made from (see outside-edit.ts). */
const RECENT_VERSIONS = 6;

export const serveFile = async (options: FileServerOptions): Promise<FileServer> => {
  const log = options.log ?? (() => {});
  const mode = options.mode ?? 'durable';
  // What the file held as standin last wrote or read it, newest first: outside edits are diffed against these.
  const versions: Data[] = [];
  const remember = (data: Data) => {
    versions.unshift(data);
    versions.length = Math.min(versions.length, RECENT_VERSIONS);
  };
  // Loading through the journal storage also replays changes a killed server left in the journal.
  const storage = createJournaledFileStorage(options.file, {
    codec: stateCodec,
    keepOutsideEdits: options.watch === true,
    onDataFileWritten: (value) => remember((value as State).data),
  });
  const raw = await storage.load();
  const initial = createState({ data: raw, schema: options.schema, config: options.config, seed: options.seed });
  if (initial instanceof DirectusError) throw new Error(`Cannot load ${options.file}: ${initial.message}`);
  for (const { key, reason } of unservedParts(raw)) {
    log(`warning: "${key}" in ${options.file} is not served: ${reason}${mode === 'memory' ? '' : ' (a save of the file drops it)'}`);
  }
  remember(initial.data);

  // The journal starts on the file as loaded: the first write appends instead of rewriting db.json.
  if (mode !== 'memory') await storage.adopt(initial);
  const committer = mode === 'memory'
    ? undefined
    : createCommitter(storage, { durable: mode === 'durable', onError: (e) => log(`saving ${options.file} failed: ${String(e)}`) });
  let current: (() => State) | undefined;
  const server = await startServer({
    ...options.limits,
    ...(options.onAccess ? { onAccess: options.onAccess } : {}),
    ...(options.homePage ? { page: homePage(() => current!()) } : {}),
    state: initial,
    port: options.port,
    host: options.host,
    log,
    persist: committer && ((state: State) => committer.commit(() => state)),
  }).catch(async (error: unknown) => {
    // Nothing was served (e.g. the port is taken): release the journal before reporting it.
    await committer?.close();
    if (committer) await storage.close();
    throw error;
  });
  current = server.state;

  // An outside edit is merged through the core as writes (stored like any write); only then may the
  // storage write over the edited file. Merges run one after the other.
  let merging: Promise<unknown> = Promise.resolve();
  const settled = (identity: FileIdentity) => {
    if (mode !== 'memory') merging = merging.then(() => storage.merged(identity)).catch((e) => log(`saving ${options.file} failed: ${String(e)}`));
  };
  const watcher = options.watch
    ? watchFile(options.file, (data, version) => {
      merging = merging.then(async () => {
        const stored = await server.input({ type: 'outside-edit', edited: data, bases: [...versions], now: Date.now() });
        if (!stored) return; // not stored, so not merged: the edited file stays as it is
        const asRead = dataFromJson(data, server.state().schema);
        if (!(asRead instanceof DirectusError)) remember(asRead);
        settled(version.identity);
      }).catch((e) => log(`merging an outside edit of ${options.file} failed: ${String(e)}`));
    }, {
      ownWrites: storage.ownWrites,
      onSame: settled,
      onError: (e) => log(`watching ${options.file}: ${e instanceof Error ? e.message : String(e)}`),
    })
    : undefined;

  return {
    server,
    close: async () => {
      await watcher?.check(); // an edit made just before the stop is merged, not lost
      watcher?.close();
      for (let seen: unknown; seen !== merging;) await (seen = merging); // merges queue their saves
      await server.close();
      await committer?.close();
      if (committer) await storage.close();
    },
  };
};
