// The side of the BroadcastChannel transport that holds the core: peers' connections become
// `open`/`message`/`close` inputs, outputs go back on the channel. In mirror mode every change to the
// data is also broadcast as RFC 6902 operations, built from the rows written (not a whole-document diff).
import {
  dataChanges, dataToJson, handle, type Data, type Input, type Item, type Output, type Schema, type State,
} from '../core/index.ts';
import jsonpatch, { type Operation } from 'fast-json-patch';
import { initialState, type InProcessOptions } from './in-process-state.ts';
import { isEnvelope, type FromHost, type MirrorDoc, type ToHost } from './broadcast-channel-protocol.ts';
import { createTimerTable } from './timers.ts';

export interface HostOptions extends InProcessOptions {
  /** Seed for new ids and tokens; random by default. */
  readonly seed?: number;
  /** Broadcast every change as JSON patches so peers joined with `{ mirror: true }` can read locally. */
  readonly mirror?: boolean;
}

export interface Host {
  /** The current state (a value: safe to keep). */
  readonly state: State;
  /** The mirror's version: how many changes were broadcast. */
  readonly version: number;
  /** The data now, to restore with `reset()`. O(1): the data is an immutable value. */
  snapshot(): Data;
  /** Restores the data (the initial data by default); mirrors get it as one whole-document snapshot. */
  reset(snapshot?: Data): void;
  /** Tells every peer the host is gone, stops every timer and closes the channel. */
  close(): void;
}

/** The mirrored document of `data`: user collections only, each keyed by primary key. */
export const mirrorDoc = (schema: Schema, data: Data): MirrorDoc => {
  const doc: MirrorDoc = {};
  const json = dataToJson(schema, data);
  for (const [name, collection] of Object.entries(schema.collections)) {
    const value = json[name];
    const rows = (Array.isArray(value) ? value : value === undefined ? [] : [value]) as Item[];
    const keyed: Record<string, Item> = {};
    for (const row of rows) Object.defineProperty(keyed, String(row[collection.primary]), { value: row, enumerable: true, writable: true, configurable: true });
    doc[name] = keyed;
  }
  return doc;
};

/** The operations that turn the mirror of `before` into the mirror of `after`; undefined: send a snapshot. */
export const mirrorPatch = (before: Data, after: Data): Operation[] | undefined => {
  if (before.collections === after.collections) return [];
  const changes = dataChanges(before, after);
  if (!changes) return undefined;
  const ops: Operation[] = [];
  for (const { collection, key, item, existed } of changes) {
    const path = `/${jsonpatch.escapePathComponent(collection)}/${jsonpatch.escapePathComponent(String(key))}`;
    if (item) ops.push({ op: existed ? 'replace' : 'add', path, value: item });
    else if (existed) ops.push({ op: 'remove', path });
  }
  return ops;
};

export const hostStandin = (channelName: string, options: HostOptions): Host => {
  const initial = initialState(options, Math.floor(Math.random() * 2 ** 31));
  let state: State = initial;
  let version = 0;
  let closed = false;
  const channel = new BroadcastChannel(channelName);
  const conns = new Set<string>();
  const timers = createTimerTable((key) => run({ type: 'timer', key, now: Date.now() }));
  const post = (message: FromHost): void => channel.postMessage(message);

  const apply = (output: Output): void => {
    switch (output.type) {
      case 'send':
        if (conns.has(output.conn)) post({ standin: 1, t: 'send', conn: output.conn, text: output.text });
        break;
      case 'close':
        if (conns.delete(output.conn)) post({ standin: 1, t: 'closed', conn: output.conn });
        break;
      case 'refuse':
        conns.delete(output.conn);
        post({ standin: 1, t: 'refused', conn: output.conn, status: output.status });
        break;
      case 'timer':
      case 'cancel-timer':
        timers.apply(output);
        break;
    }
  };

  /** Tells mirroring peers how the data changed from `previous` to the current state. */
  const publish = (previous: Data): void => {
    if (!options.mirror || state.data === previous) return;
    const ops = mirrorPatch(previous, state.data);
    if (ops === undefined) post({ standin: 1, t: 'snapshot', peer: null, version: ++version, doc: mirrorDoc(state.schema, state.data) });
    else if (ops.length > 0) post({ standin: 1, t: 'patch', version: ++version, ops });
  };

  /** One input through the core. The mirror's patch goes out before the replies, so a peer that
   *  sees the reply to its write already has the write in its local copy. */
  const run = (input: Input, before?: (outputs: readonly Output[]) => void): void => {
    if (closed) return;
    const previous = state.data;
    const [next, outputs] = handle(state, input);
    state = next;
    publish(previous);
    before?.(outputs);
    outputs.forEach(apply);
  };

  const receive = (message: ToHost): void => {
    switch (message.t) {
      case 'open':
        // A peer resends its open after our `hello`; the first one counts.
        if (conns.has(message.conn)) return;
        conns.add(message.conn);
        run({ type: 'open', conn: message.conn, query: message.query, now: Date.now() }, (outputs) => {
          if (!outputs.some((o) => o.type === 'refuse')) post({ standin: 1, t: 'opened', conn: message.conn });
        });
        return;
      case 'message':
        if (conns.has(message.conn)) run({ type: 'message', conn: message.conn, text: String(message.text), now: Date.now() });
        return;
      case 'close':
        if (conns.delete(message.conn)) run({ type: 'close', conn: message.conn, now: Date.now() });
        return;
      case 'sync':
        post(options.mirror
          ? { standin: 1, t: 'snapshot', peer: message.peer, version, doc: mirrorDoc(state.schema, state.data) }
          : { standin: 1, t: 'no-mirror', peer: message.peer });
        return;
    }
  };

  channel.addEventListener('message', (event) => {
    const message = (event as MessageEvent).data;
    if (isEnvelope(message)) receive(message as ToHost);
  });
  post({ standin: 1, t: 'hello' });

  return {
    get state() {
      return state;
    },
    get version() {
      return version;
    },
    snapshot: () => state.data,
    reset(snapshot = initial.data) {
      const previous = state.data;
      state = { ...state, data: snapshot };
      publish(previous);
    },
    close() {
      if (closed) return;
      closed = true;
      timers.clear();
      post({ standin: 1, t: 'bye' });
      channel.close();
    },
  };
};
