// MAX_PAYLOAD_SIZE: a REST body over the limit (1 MB by default) is refused as Directus refuses it,
// with 400 INVALID_PAYLOAD "Invalid payload. request entity too large." — and over a real socket the
// server stops reading it: by its Content-Length before a byte is read, a chunked body once it passes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { handle, type Output } from '../core/index.ts';
import { startServer, type RunningServer } from '../adapters/ws-server.ts';
import { fixtureState, NOW } from './driver.ts';

const MB = 1024 * 1024;
/**
 * Directus 12.4's reply (live, December 2026: the same for a Content-Length and a chunked body, with
 * ETag W/"91-ixNZG6hvAPmGqtQqTVk272XM5sg"): its body parser's error wrapped in InvalidPayloadError.
 */
const TOO_LARGE = { errors: [{ message: 'Invalid payload. request entity too large.', extensions: { reason: 'request entity too large', code: 'INVALID_PAYLOAD' } }] };

type Respond = Extract<Output, { type: 'respond' }>;

const request = (input: { body?: string; bodyTooLarge?: boolean; contentType?: string; token?: string }, config = {}) => {
  const headers: Record<string, string> = { 'content-type': input.contentType ?? 'application/json' };
  if (input.token) headers['authorization'] = `Bearer ${input.token}`;
  const [, outputs] = handle(fixtureState(config), {
    type: 'request', id: 'r', method: 'POST', path: '/items/articles', query: '', headers, now: NOW,
    ...(input.body === undefined ? {} : { body: input.body }), ...(input.bodyTooLarge ? { bodyTooLarge: true } : {}),
  });
  const reply = outputs.find((o): o is Respond => o.type === 'respond')!;
  return { status: reply.status, body: JSON.parse(reply.body), etag: reply.headers['etag'] };
};

const refusal = (reply: { status: number; body: unknown }) => ({ status: reply.status, body: reply.body });

/** A JSON create whose text is exactly `bytes` long (as UTF-8), padding a title with `pad` (and `x`). */
const createOfSize = (bytes: number, pad = 'x') => {
  const room = bytes - JSON.stringify({ title: '' }).length;
  const padBytes = Buffer.byteLength(pad);
  const text = JSON.stringify({ title: pad.repeat(Math.floor(room / padBytes)) + 'x'.repeat(room % padBytes) });
  assert.equal(Buffer.byteLength(text), bytes, 'the test builds the size it means');
  return text;
};

describe('MAX_PAYLOAD_SIZE in the core', () => {
  it('accepts a JSON body of exactly 1 MB and refuses one byte more, before authentication', () => {
    assert.equal(request({ body: createOfSize(MB), token: 'admin-static-token' }).status, 200);
    // Unauthenticated, as sent to the live Directus: 1 MB passes the parser (then FORBIDDEN), a byte more does not.
    assert.equal(request({ body: createOfSize(MB) }).body.errors[0].extensions.code, 'FORBIDDEN');
    assert.deepEqual(request({ body: createOfSize(MB + 1) }), { status: 400, body: TOO_LARGE, etag: 'W/"91-ixNZG6hvAPmGqtQqTVk272XM5sg"' });
    assert.equal(request({ body: createOfSize(MB + 1), token: 'admin-static-token' }).status, 400);
    assert.equal(request({ body: createOfSize(MB + 1), token: 'not-a-token' }).status, 400, 'the body parser runs before authentication');
  });

  it('counts UTF-8 bytes, not characters', () => {
    const euros = createOfSize(MB - 1, '€'); // 3 bytes each: far fewer characters than bytes
    assert.ok(euros.length < MB / 2);
    assert.equal(request({ body: euros, token: 'admin-static-token' }).status, 200);
    assert.deepEqual(refusal(request({ body: createOfSize(MB + 2, '€'), token: 'admin-static-token' })), { status: 400, body: TOO_LARGE });
    assert.deepEqual(refusal(request({ body: createOfSize(MB + 2, '😀'), token: 'admin-static-token' })), { status: 400, body: TOO_LARGE });
  });

  it('refuses a body the transport stopped reading, and follows the configured limit', () => {
    assert.deepEqual(refusal(request({ bodyTooLarge: true })), { status: 400, body: TOO_LARGE });
    assert.deepEqual(refusal(request({ body: createOfSize(2048) }, { maxPayloadSize: 1024 })), { status: 400, body: TOO_LARGE });
    assert.equal(request({ body: createOfSize(2048), token: 'admin-static-token' }, { maxPayloadSize: 4096 }).status, 200);
  });

  it('ignores a large body that is not JSON, as Express never reads it', () => {
    const asText = request({ body: 'x'.repeat(MB + 1), contentType: 'text/plain', token: 'admin-static-token' });
    const tooLargeText = request({ bodyTooLarge: true, contentType: 'text/plain', token: 'admin-static-token' });
    assert.equal(asText.status, 200); // an empty create, exactly as with no body
    assert.equal(tooLargeText.status, 200);
  });
});

// ---------------------------------------------------------------------------------------------
// Over a real socket

interface Upload {
  readonly status: number;
  readonly body: unknown;
  /** Bytes the client had handed to its socket when the reply arrived. */
  readonly sentWhenAnswered: number;
  readonly ms: number;
}

/**
 * POSTs `total` bytes of JSON-ish data from one reused 1 MB chunk (nothing big is allocated on the
 * client side); with `chunked` no Content-Length is sent. Stops sending once the reply arrives.
 */
const upload = (port: number, total: number, chunked: boolean): Promise<Upload> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const chunk = Buffer.alloc(MB, 0x20);
    let sent = 0;
    let answered = false;
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = total;
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/items/articles', headers }, (res) => {
      answered = true;
      const sentWhenAnswered = sent;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        resolve({ status: res.statusCode!, body: JSON.parse(text), sentWhenAnswered, ms: performance.now() - started });
        req.destroy();
      });
    });
    // Once the server has answered and closed, the rest of the upload may fail: that is expected.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });

/** GET /server/ping's round trip in ms. */
const ping = (port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    http.get({ host: '127.0.0.1', port, path: '/server/ping', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - started));
    }).on('error', reject);
  });

describe('MAX_PAYLOAD_SIZE over a real socket', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ state: fixtureState({ heartbeatPeriod: 0 }), port: 0, host: '127.0.0.1' });
  });
  after(() => server.close());

  for (const chunked of [false, true]) {
    it(`refuses an unauthenticated 100 MB upload (${chunked ? 'chunked' : 'with Content-Length'}) without reading it, while others are served`, async () => {
      const before = process.memoryUsage();
      const pings: Promise<number>[] = [];
      const timer = setInterval(() => pings.push(ping(server.port)), 20);
      const result = await upload(server.port, 100 * MB, chunked).finally(() => clearInterval(timer));
      const afterUpload = process.memoryUsage();
      assert.deepEqual({ status: result.status, body: result.body }, { status: 400, body: TOO_LARGE });
      // Answered long before the client got through its 100 MB.
      assert.ok(result.sentWhenAnswered <= 16 * MB, `answered after ${result.sentWhenAnswered} bytes`);
      // Nothing near the upload's size was buffered (client and server share this process).
      const grown = afterUpload.arrayBuffers - before.arrayBuffers;
      assert.ok(grown < 32 * MB, `array buffers grew by ${grown} bytes`);
      // Others are answered meanwhile. The uploading client shares this process (and, in `npm test`,
      // two cores with every other test file), so the bound is loose; quiet runs measure 1-10 ms.
      const times = await Promise.all(pings);
      for (const t of times) assert.ok(t < 1000, `a ping took ${t.toFixed(1)} ms during the upload`);
    });
  }

  it('accepts a body at the limit over the socket', async () => {
    const body = createOfSize(MB);
    const reply = await fetch(`http://127.0.0.1:${server.port}/items/articles?fields=id`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer admin-static-token' }, body,
    });
    assert.equal(reply.status, 200);
    assert.equal(typeof ((await reply.json()) as { data: { id: unknown } }).data.id, 'number');
  });
});

describe('MAX_PAYLOAD_SIZE on the command line', () => {
  const root = path.resolve(import.meta.dirname, '..');
  const serve = async (args: string[], env: Record<string, string>) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/cli.ts', 'test/fixtures/db.json', '--schema', 'test/fixtures/schema.json', '--memory', '--port', '0', '--heartbeat', '0', ...args], {
      cwd: root, env: { ...process.env, SECRET: 'payload-test', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c) => {
        out += c;
        const match = /127\.0\.0\.1:(\d+)\//.exec(out);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    return { port, stop: () => child.kill('SIGTERM') };
  };
  const post = (port: number, body: string) =>
    fetch(`http://127.0.0.1:${port}/items/articles`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer admin-static-token' }, body })
      .then(async (r) => ({ status: r.status, body: await r.json() }));

  it('takes the env variable MAX_PAYLOAD_SIZE, and --max-payload-size over it', async () => {
    const fromEnv = await serve([], { MAX_PAYLOAD_SIZE: '2kb' });
    try {
      assert.equal((await post(fromEnv.port, createOfSize(2048))).status, 200);
      assert.deepEqual(await post(fromEnv.port, createOfSize(2049)), { status: 400, body: TOO_LARGE });
    } finally {
      fromEnv.stop();
    }
    const fromFlag = await serve(['--max-payload-size', '3kb'], { MAX_PAYLOAD_SIZE: '2kb' });
    try {
      assert.equal((await post(fromFlag.port, createOfSize(3072))).status, 200);
      assert.deepEqual(await post(fromFlag.port, createOfSize(3073)), { status: 400, body: TOO_LARGE });
    } finally {
      fromFlag.stop();
    }
  });
});
