// A peer's local copy of the host's data (mirror mode): a whole snapshot first, then the host's
// patches in order. A patch that skips a version or does not apply asks for a new snapshot.
import type { Item, PrimaryKey } from '../core/index.ts';
import jsonpatch, { type Operation } from 'fast-json-patch';
import type { FromHost, MirrorDoc } from './broadcast-channel-protocol.ts';

/** `ops` null: the whole document was replaced (first sync, or a reset on the host). */
export type MirrorListener = (ops: readonly Operation[] | null, doc: MirrorDoc) => void;

export interface Mirror {
  /** Resolves once the first snapshot arrived. */
  readonly ready: Promise<void>;
  readonly doc: MirrorDoc;
  /** The host's change count this copy reflects (-1 before the first snapshot). */
  readonly version: number;
  /** Asks the host for a snapshot; until it arrives, patches are ignored. */
  resync(): void;
  /** The host went away: the next host's snapshot is taken whatever its version. */
  unsync(): void;
  /** A snapshot, patch or no-mirror message from the host. */
  receive(message: Extract<FromHost, { t: 'snapshot' | 'patch' | 'no-mirror' }>): void;
  items(collection: string): Item[];
  item(collection: string, key: PrimaryKey): Item | undefined;
  onChange(listener: MirrorListener): () => void;
  close(): void;
}

/** `requestSnapshot` posts the sync request for `peer` on the channel named `channelName`. */
export const createMirror = (channelName: string, peer: string, requestSnapshot: () => void): Mirror => {
  const listeners = new Set<MirrorListener>();
  let doc: MirrorDoc = {};
  let version = -1;
  let synced = false;
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // Nobody may await `ready` (or only after it failed); the rejection is reported there, not as unhandled.
  ready.catch(() => {});
  const notify = (ops: readonly Operation[] | null): void => listeners.forEach((listener) => listener(ops, doc));
  const resync = (): void => {
    synced = false;
    requestSnapshot();
  };

  return {
    ready,
    get doc() {
      return doc;
    },
    get version() {
      return version;
    },
    resync,
    unsync() {
      synced = false;
    },
    receive(message) {
      switch (message.t) {
        case 'snapshot':
          if ((message.peer !== null && message.peer !== peer) || (synced && message.version <= version)) return;
          doc = message.doc;
          version = message.version;
          synced = true;
          settle?.resolve();
          notify(null);
          return;
        case 'patch':
          if (!synced || message.version <= version) return;
          if (message.version !== version + 1) return resync();
          try {
            jsonpatch.applyPatch(doc, message.ops as Operation[], false, true);
          } catch {
            return resync();
          }
          version = message.version;
          notify(message.ops);
          return;
        case 'no-mirror':
          if (message.peer === peer) settle?.reject(new Error(`standin: the host of "${channelName}" does not mirror its data; start it with hostStandin(name, { data, mirror: true })`));
          return;
      }
    },
    items(collection) {
      return Object.values(doc[collection] ?? {});
    },
    item(collection, key) {
      const rows = doc[collection];
      return rows && Object.hasOwn(rows, String(key)) ? rows[String(key)] : undefined;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      listeners.clear();
      settle?.reject(new Error(`standin: the peer of "${channelName}" was closed before it synced`));
    },
  };
};
