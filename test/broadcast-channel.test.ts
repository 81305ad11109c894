// standin/broadcast-channel across real worker_threads: one worker hosts the core, the others talk
// to it with the real @directus/sdk over a BroadcastChannel, or keep a mirror fed by JSON patches.
// This file is also the workers' script: in a worker it serves the commands the test sends.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { createDirectus, realtime, staticToken } from '@directus/sdk';
import { hostStandin, joinStandin, mirrorDoc, type Host, type Peer } from '../adapters/broadcast-channel.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
type Message = Record<string, any>;

// ------------------------------------------------------------------ the worker side

const serve = (): void => {
  let host: Host | undefined;
  let peer: Peer | undefined;
  let client: any;
  const seen: Message[] = [];
  const changes: { version: number; ops: unknown }[] = [];
  const subscriptions = new Map<string, () => void>();
  const reply = (id: number, result: unknown) => parentPort!.postMessage({ id, result });

  const commands: Record<string, (args: any) => Promise<unknown> | unknown> = {
    host: ({ channel, mirror }) => {
      host = hostStandin(channel, { data: fixture('db.json'), schema: fixture('schema.json'), seed: 3, mirror });
      return true;
    },
    join: async ({ channel, mirror }) => {
      peer = joinStandin(channel, { mirror });
      peer.onChange((ops) => changes.push({ version: peer!.version, ops }));
      await peer.ready;
      return mirror ? { version: peer.version, doc: peer.doc } : true;
    },
    connect: async ({ token }) => {
      client = createDirectus('http://standin.invalid', { globals: { WebSocket: peer!.WebSocket } })
        .with(staticToken(token))
        .with(realtime({ authMode: 'handshake', reconnect: false }));
      client.onWebSocket('message', (message: Message) => seen.push(message));
      await client.connect();
      return true;
    },
    subscribe: async ({ collection, options }) => {
      const { subscription, unsubscribe } = await client.subscribe(collection, options);
      subscriptions.set(options.uid, unsubscribe);
      // Drain the generator so the SDK keeps reading; what arrives is recorded in `seen`.
      void (async () => {
        for await (const _ of subscription);
      })();
      return true;
    },
    unsubscribe: ({ uid }) => {
      subscriptions.get(uid)?.();
      return true;
    },
    /** Sends one message and answers with the reply of the same uid (and the mirror at that moment). */
    request: ({ message, item }) =>
      new Promise((resolve) => {
        const off = client.onWebSocket('message', (received: Message) => {
          if (received['uid'] !== message.uid) return;
          off();
          resolve({ reply: received, mirrored: item ? peer!.item(item[0], item[1]) ?? null : undefined });
        });
        client.sendMessage(message);
      }),
    seen: () => seen,
    changes: () => changes,
    /** The changes once the mirror has reached `version`: another peer's patches arrive in their own time. */
    changesAt: ({ version }) =>
      new Promise((resolve) => {
        if (peer!.version >= version) return resolve(changes);
        const off = peer!.onChange(() => {
          if (peer!.version < version) return;
          off();
          resolve(changes);
        });
      }),
    mirror: () => ({ version: peer!.version, doc: peer!.doc }),
    hostDoc: () => ({ version: host!.version, doc: mirrorDoc(host!.state.schema, host!.state.data) }),
    /** Closes everything; the worker must then exit on its own. */
    close: () => {
      client?.disconnect();
      peer?.close();
      host?.close();
      return true;
    },
  };

  parentPort!.on('message', async ({ id, command, args }) => {
    try {
      reply(id, await commands[command]!(args ?? {}));
    } catch (error) {
      parentPort!.postMessage({ id, error: String(error) });
    }
    if (command === 'close') parentPort!.close();
  });
};

// ------------------------------------------------------------------ the test side

interface Peerling {
  call(command: string, args?: unknown): Promise<any>;
  /** Resolves with the exit code once the worker ends by itself. */
  readonly exited: Promise<number>;
  readonly worker: Worker;
}

const workers: Worker[] = [];

/** A worker running this very file (tsx registered first: Node 20 workers do not inherit `--import`). */
const startWorker = (): Peerling => {
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};
register();
await import(${JSON.stringify(import.meta.url)});`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
  workers.push(worker);
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  worker.on('message', ({ id, result, error }) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (error !== undefined) waiting?.reject(new Error(error));
    else waiting?.resolve(result);
  });
  const exited = new Promise<number>((resolve, reject) => {
    worker.once('exit', resolve);
    worker.once('error', reject);
  });
  return {
    worker,
    exited,
    call: (command, args) => new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, command, args });
    }),
  };
};

/** Closes the workers' standin parts and checks each worker then exits by itself, quickly. */
const closeAll = async (...peers: Peerling[]): Promise<void> => {
  for (const p of peers) await p.call('close');
  const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('still running 5 s after close()'), 5000).unref());
  for (const p of peers) assert.equal(await Promise.race([p.exited, timeout]), 0);
};

const published = (): Message[] =>
  fixture('db.json').articles.filter((a: Message) => a['status'] === 'published').map((a: Message) => ({ id: a['id'], title: a['title'] }));

if (isMainThread) {
  after(async () => {
    // Only reached when a test failed half-way: never leave a worker behind.
    await Promise.all(workers.map((w) => w.terminate()));
  });

  describe('BroadcastChannel transport across worker_threads', () => {
    it('two workers share one store: a create in one is seen live and read in the other', async () => {
      const channel = `standin-proxy-${Math.random()}`;
      const a = startWorker();
      const b = startWorker();
      await a.call('host', { channel, mirror: false });
      await a.call('join', { channel, mirror: false });
      await a.call('connect', { token: 'admin-static-token' });
      await b.call('join', { channel, mirror: false });
      await b.call('connect', { token: 'reader-static-token' });
      await b.call('subscribe', { collection: 'articles', options: { uid: 'live', query: { fields: ['id', 'title'], filter: { status: { _eq: 'published' } } } } });

      const created = await a.call('request', { message: { type: 'items', collection: 'articles', action: 'create', data: { title: 'From A', status: 'published' }, query: { fields: ['id'] }, uid: 'c1' } });
      assert.deepEqual(created.reply, { type: 'items', data: { id: 13 }, uid: 'c1' });
      const read = await b.call('request', { message: { type: 'items', collection: 'articles', action: 'read', id: 13, query: { fields: ['id', 'title', 'status'] }, uid: 'r1' } });
      assert.deepEqual(read.reply, { type: 'items', data: { id: 13, title: 'From A', status: 'published' }, uid: 'r1' });
      const denied = await b.call('request', { message: { type: 'items', collection: 'authors', action: 'read', uid: 'r2' } });
      assert.equal(denied.reply.error.code, 'FORBIDDEN');

      await b.call('unsubscribe', { uid: 'live' });
      await a.call('request', { message: { type: 'items', collection: 'articles', action: 'create', data: { title: 'Unseen', status: 'published' }, query: { fields: ['id'] }, uid: 'c2' } });
      // B's read is handled after A's create: an event for it would have reached B first.
      await b.call('request', { message: { type: 'items', collection: 'articles', action: 'read', id: 14, query: { fields: ['id'] }, uid: 'r3' } });

      const authOk = { type: 'auth', status: 'ok' };
      assert.deepEqual(await a.call('seen'), [
        authOk,
        { type: 'items', data: { id: 13 }, uid: 'c1' },
        { type: 'items', data: { id: 14 }, uid: 'c2' },
      ]);
      assert.deepEqual(await b.call('seen'), [
        authOk,
        { type: 'subscription', event: 'init', data: published(), uid: 'live' },
        { type: 'subscription', event: 'create', data: [{ id: 13, title: 'From A' }], uid: 'live' },
        { type: 'items', data: { id: 13, title: 'From A', status: 'published' }, uid: 'r1' },
        denied.reply,
        { type: 'subscription', event: 'unsubscribe', uid: 'live' },
        { type: 'items', data: { id: 14 }, uid: 'r3' },
      ]);
      await closeAll(b, a);
    });

    it('mirror mode: peers apply the host\'s patches and a late joiner starts from a snapshot', async () => {
      const channel = `standin-mirror-${Math.random()}`;
      const a = startWorker();
      const b = startWorker();
      await a.call('host', { channel, mirror: true });
      const joinedA = await a.call('join', { channel, mirror: true });
      await a.call('connect', { token: 'admin-static-token' });
      const joinedB = await b.call('join', { channel, mirror: true });
      assert.equal(joinedA.version, 0);
      assert.equal(joinedB.version, 0);
      assert.deepEqual(Object.keys(joinedB.doc.articles), ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
      assert.deepEqual(joinedB.doc.articles['1'], fixture('db.json').articles[0]);

      const created = await a.call('request', { item: ['articles', 13], message: { type: 'items', collection: 'articles', action: 'create', data: { title: 'Mirrored', status: 'draft' }, query: { fields: ['id'] }, uid: 'c1' } });
      // Read-your-writes: when the reply reached A, A's own mirror already had the row.
      assert.equal(created.mirrored.title, 'Mirrored');
      const updated = await a.call('request', { item: ['articles', 13], message: { type: 'items', collection: 'articles', action: 'update', id: 13, data: { title: 'Renamed' }, query: { fields: ['id'] }, uid: 'u1' } });
      assert.equal(updated.mirrored.title, 'Renamed');
      const deleted = await a.call('request', { item: ['articles', 2], message: { type: 'items', collection: 'articles', action: 'delete', id: 2, uid: 'd1' } });
      assert.equal(deleted.mirrored, null);

      const row = { id: 13, title: 'Mirrored', body: null, status: 'draft', rating: null, price: null, published_at: null, tags: null, author: null };
      const expectedChanges = [
        { version: 0, ops: null },
        { version: 1, ops: [{ op: 'add', path: '/articles/13', value: row }] },
        { version: 2, ops: [{ op: 'replace', path: '/articles/13', value: { ...row, title: 'Renamed' } }] },
        { version: 3, ops: [{ op: 'remove', path: '/articles/2' }] },
      ];
      const hostDoc = await a.call('hostDoc');
      assert.equal(hostDoc.version, 3);
      assert.deepEqual(hostDoc.doc.articles['13'], { ...row, title: 'Renamed' });
      assert.deepEqual(await b.call('changesAt', { version: 3 }), expectedChanges);
      assert.deepEqual(await a.call('changes'), expectedChanges);
      assert.deepEqual(await b.call('mirror'), hostDoc);

      const late = startWorker();
      const joinedLate = await late.call('join', { channel, mirror: true });
      assert.deepEqual(joinedLate, hostDoc);
      assert.deepEqual(await late.call('changes'), [{ version: 3, ops: null }]);
      assert.equal(joinedLate.doc.articles['2'], undefined);
      await closeAll(late, b, a);
    });
  });

  describe('BroadcastChannel transport in one thread', () => {
    const events = (socket: WebSocket) => {
      const seen: string[] = [];
      const closed = new Promise<CloseEvent>((resolve) => socket.addEventListener('close', resolve));
      socket.addEventListener('open', () => seen.push('open'));
      socket.addEventListener('error', () => seen.push('error'));
      socket.addEventListener('message', (event) => {
        seen.push(event.data);
        queueMicrotask(() => seen.push('microtask'));
      });
      socket.addEventListener('close', (event) => seen.push(`close ${event.code}`));
      return { seen, closed, opened: new Promise((resolve) => socket.addEventListener('open', resolve)) };
    };

    it('connects a peer that joined before the host started, one frame per task', async () => {
      const channel = `standin-early-${Math.random()}`;
      const peer = joinStandin(channel);
      const socket = new peer.WebSocket('ws://standin.invalid/websocket?access_token=admin-static-token');
      const s = events(socket);
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(socket.readyState, 0);
      const host = hostStandin(channel, { ...{ data: fixture('db.json'), schema: fixture('schema.json') }, auth: 'strict' });
      await s.opened;
      const pongs = new Promise((resolve) => socket.addEventListener('message', (e) => e.data.includes('"b"') && resolve(e)));
      for (const uid of ['a', 'b']) socket.send(JSON.stringify({ type: 'ping', uid }));
      await pongs;
      host.close();
      await s.closed;
      assert.deepEqual(s.seen, ['open', '{"type":"pong","uid":"a"}', 'microtask', '{"type":"pong","uid":"b"}', 'microtask', 'close 1005']);
      peer.close();
    });

    it('closing a socket ends its connection on the host', async () => {
      const channel = `standin-close-${Math.random()}`;
      const host = hostStandin(channel, { data: fixture('db.json'), auth: 'public' });
      const peer = joinStandin(channel);
      const sockets = [new peer.WebSocket('ws://standin.invalid/websocket'), new peer.WebSocket('ws://standin.invalid/websocket')];
      await Promise.all(sockets.map((socket) => events(socket).opened));
      assert.equal(Object.keys(host.state.connections).length, 2);
      const [first, second] = sockets.map((socket) => events(socket));
      sockets[0]!.close();
      assert.equal((await first!.closed).code, 1005);
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(Object.keys(host.state.connections).length, 1);
      peer.close();
      await second!.closed;
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(host.state.connections, {});
      host.close();
    });

    it('fails a connection the host refuses, or that no host answers in time', async () => {
      const channel = `standin-refuse-${Math.random()}`;
      const host = hostStandin(channel, { data: fixture('db.json'), auth: 'strict' });
      const peer = joinStandin(channel, { connectTimeout: 50 });
      const refused = events(new peer.WebSocket('ws://standin.invalid/websocket?access_token=wrong'));
      assert.equal((await refused.closed).code, 1006);
      assert.deepEqual(refused.seen, ['error', 'close 1006']);
      host.close();
      const unanswered = events(new peer.WebSocket('ws://standin.invalid/websocket?access_token=admin-static-token'));
      assert.equal((await unanswered.closed).code, 1006);
      assert.deepEqual(unanswered.seen, ['error', 'close 1006']);
      peer.close();
    });

    it('a reset on the host reaches every mirror as one snapshot', async () => {
      const channel = `standin-reset-${Math.random()}`;
      const host = hostStandin(channel, { data: fixture('db.json'), auth: 'strict', mirror: true });
      const peer = joinStandin(channel, { mirror: true });
      await peer.ready;
      const initial = structuredClone(peer.doc);
      const changes: [number, unknown][] = [];
      peer.onChange((ops) => changes.push([peer.version, ops && ops.map((op) => `${op.op} ${op.path}`)]));
      const socket = new peer.WebSocket('ws://standin.invalid/websocket?access_token=admin-static-token');
      const s = events(socket);
      await s.opened;
      const replied = new Promise((resolve) => socket.addEventListener('message', resolve));
      socket.send(JSON.stringify({ type: 'items', collection: 'authors', action: 'delete', id: 3, uid: 'd' }));
      await replied;
      assert.equal(peer.item('authors', 3), undefined);
      host.reset();
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(changes, [[1, ['remove /authors/3']], [2, null]]);
      assert.deepEqual(peer.doc, initial);
      peer.close();
      host.close();
    });

    it('refuses to mirror when the host does not, saying how to fix it', async () => {
      const channel = `standin-nomirror-${Math.random()}`;
      const host = hostStandin(channel, { data: fixture('db.json') });
      const peer = joinStandin(channel, { mirror: true });
      await assert.rejects(peer.ready, /does not mirror its data; start it with hostStandin\(name, \{ data, mirror: true \}\)/);
      assert.throws(() => joinStandin(channel).items('articles'), /join with joinStandin\(name, \{ mirror: true \}\)/);
      peer.close();
      host.close();
    });

    // The README's snippet, as written: a file with users needs the token; open data needs none.
    const readmeSnippet = async (data: unknown, token: string | undefined) => {
      const channel = `standin-readme-${Math.random()}`;
      const host = hostStandin(channel, { data, mirror: true });
      const peer = joinStandin(channel, { mirror: true });
      const base = createDirectus('http://standin.invalid', { globals: { WebSocket: peer.WebSocket } });
      const client = (token === undefined ? base : base.with(staticToken(token))).with(realtime({ reconnect: false }));
      await client.connect();
      await peer.ready;
      const titles = peer.items('posts').map((post) => post['title']);
      const { subscription } = await client.subscribe('posts', { query: { fields: ['id'] } });
      const init = await subscription.next();
      client.disconnect();
      peer.close();
      host.close();
      return { titles, init: init.value };
    };

    it('the README snippet subscribes: the example file with its token, open data without one', async () => {
      const example = JSON.parse(readFileSync(new URL('../examples/db.json', import.meta.url), 'utf8'));
      const withUsers = await readmeSnippet(example, 'admin-token');
      assert.deepEqual(withUsers.titles, ['Hello standin', 'Draft notes', 'Realtime with Directus SDK']);
      assert.deepEqual({ ...withUsers.init, uid: undefined }, { type: 'subscription', event: 'init', data: [{ id: 1 }, { id: 2 }, { id: 3 }], uid: undefined });
      const open = await readmeSnippet({ posts: [{ id: 7, title: 'Open' }] }, undefined);
      assert.deepEqual(open.titles, ['Open']);
      assert.deepEqual({ ...open.init, uid: undefined }, { type: 'subscription', event: 'init', data: [{ id: 7 }], uid: undefined });
    });
  });
} else {
  serve();
}
