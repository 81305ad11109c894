// The file-backed server: load db.json (replaying a leftover journal), serve it, and store every
// change durably before it is acknowledged. Composition only: storage, committer, watcher, server.
import { createState, dataFromJson, DirectusError, unservedParts, type Config, type State } from '../core/index.ts';
import type { AccessEvent } from './access-log.ts';
import { homePage } from './home-page.ts';
import { createCommitter } from './storage/committer.ts';
import { createJournaledFileStorage } from './storage/journal-file.ts';
import { stateCodec } from './storage/state-codec.ts';
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
  /** Reload when another program edits the file. */
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

export const serveFile = async (options: FileServerOptions): Promise<FileServer> => {
  const log = options.log ?? (() => {});
  const mode = options.mode ?? 'durable';
  // Loading through the journal storage also replays changes a killed server left in the journal.
  const storage = createJournaledFileStorage(options.file, { codec: stateCodec });
  const raw = await storage.load();
  const initial = createState({ data: raw, schema: options.schema, config: options.config, seed: options.seed });
  if (initial instanceof DirectusError) throw new Error(`Cannot load ${options.file}: ${initial.message}`);
  for (const { key, reason } of unservedParts(raw)) {
    log(`warning: "${key}" in ${options.file} is not served: ${reason}${mode === 'memory' ? '' : ' (a save of the file drops it)'}`);
  }

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

  const watcher = options.watch
    ? watchFile(options.file, (data) => {
      const reloaded = dataFromJson(data, server.state().schema);
      if (reloaded instanceof DirectusError) return log(`ignored an outside edit of ${options.file}: ${reloaded.message}`);
      server.update((state) => ({ ...state, data: reloaded }));
      log(`reloaded ${options.file} after an outside edit`);
    }, { ownWrites: storage.ownWrites, onError: (e) => log(`watching ${options.file}: ${String(e)}`) })
    : undefined;

  return {
    server,
    close: async () => {
      watcher?.close();
      await server.close();
      await committer?.close();
      if (committer) await storage.close();
    },
  };
};
