// Binds HTTP to the core: a request becomes a `request` input, its `respond` output becomes the reply.
// Two bindings: node:http (the server, same port as the WebSocket) and the Fetch API (an in-process
// `fetch` for `@directus/sdk`'s `globals.fetch`). No protocol decisions are made here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DirectusError, errorBody, type Input, type Output } from '../core/index.ts';

type RequestInput = Extract<Input, { type: 'request' }>;
type RespondOutput = Extract<Output, { type: 'respond' }>;

/** Runs one input through the core and returns its outputs (which the caller's loop also applies). */
export type Run = (input: Input) => readonly Output[];

let nextId = 0;
const newId = () => `h${++nextId}`;

const splitUrl = (url: string): { path: string; query: string } => {
  const at = url.indexOf('?');
  return at < 0 ? { path: url, query: '' } : { path: url.slice(0, at), query: url.slice(at + 1) };
};

const responseOf = (outputs: readonly Output[], id: string): RespondOutput | undefined =>
  outputs.find((o): o is RespondOutput => o.type === 'respond' && o.id === id);

// ------------------------------------------------------------------ node:http

interface ReadBody {
  readonly body?: string;
  /** The body passed `limit` bytes and was not read (further). */
  readonly tooLarge: boolean;
}

/**
 * Reads a request body of at most `limit` bytes. A larger one is never buffered: a Content-Length
 * over the limit is refused before a byte is read, a chunked body as soon as it passes the limit.
 */
const readBody = (req: IncomingMessage, limit: number): Promise<ReadBody> =>
  new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > limit) {
      resolve({ tooLarge: true });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.pause();
      chunks.length = 0;
      resolve({ tooLarge: true });
    };
    req.on('data', onData);
    req.on('end', () => resolve({ tooLarge: false, ...(size === 0 ? {} : { body: Buffer.concat(chunks).toString('utf8') }) }));
    req.on('error', reject);
  });

const nodeHeaders = (req: IncomingMessage): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
};

/**
 * Runs one input through the server's loop: its outputs, and whether they were delivered (false
 * when storing the change failed, so nothing may be acknowledged).
 */
export type RunDelivered = (input: Input) => { readonly outputs: readonly Output[]; readonly delivered: Promise<boolean> };

/** The answer to a request whose write could not be stored (Directus's ServiceUnavailableError). */
const NOT_STORED = new DirectusError('SERVICE_UNAVAILABLE', 'Service "storage" is unavailable. The change could not be stored.', { service: 'storage' });

/**
 * A `node:http` request listener. The reply is written once the core's outputs for it were delivered.
 * `maxBodyBytes` is the core's `maxPayloadSize`: the adapter reads no more, and the core answers.
 */
export const serveHttp = (run: RunDelivered, maxBodyBytes: () => number) => (req: IncomingMessage, res: ServerResponse): void => {
  readBody(req, maxBodyBytes()).then(async ({ body, tooLarge }) => {
    const id = newId();
    const { path, query } = splitUrl(req.url ?? '/');
    const input: RequestInput = {
      type: 'request', id, method: req.method ?? 'GET', path, query, headers: nodeHeaders(req), now: Date.now(),
      ...(body === undefined ? {} : { body }), ...(tooLarge ? { bodyTooLarge: true } : {}),
    };
    const { outputs, delivered } = run(input);
    const reply = responseOf(outputs, id);
    if (!(await delivered)) {
      res.writeHead(NOT_STORED.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(errorBody(NOT_STORED));
      return;
    }
    if (!reply) {
      res.destroy();
      return;
    }
    // An unread body is left on the connection: it cannot carry another request.
    if (tooLarge) res.setHeader('connection', 'close');
    res.writeHead(reply.status, reply.headers as Record<string, string | string[]>);
    res.end(reply.body);
  }).catch(() => res.destroy());
};

// ------------------------------------------------------------------ Fetch API

/** A `request` input from a Fetch `Request` (relative URLs resolve against a placeholder origin). */
export const inputFromRequest = async (request: Request, now: number): Promise<RequestInput> => {
  const url = new URL(request.url, 'http://standin.invalid');
  const headers: Record<string, string> = {};
  // Lower-cased here: the Fetch standard's Headers do it, but not every implementation (happy-dom's).
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const body = request.body === null ? '' : await request.text();
  return {
    type: 'request', id: newId(), method: request.method, path: url.pathname, query: url.search.slice(1), headers, now,
    ...(body === '' ? {} : { body }),
  };
};

const NO_BODY = new Set([101, 204, 205, 304]);

/** A Fetch `Response` for a `respond` output. */
export const toResponse = (reply: RespondOutput, method: string): Response => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(reply.headers)) {
    for (const v of typeof value === 'string' ? [value] : value) headers.append(name, v);
  }
  const empty = NO_BODY.has(reply.status) || method.toUpperCase() === 'HEAD';
  return new Response(empty ? null : reply.body, { status: reply.status, headers });
};

/** A `fetch` served by the core in-process: pass it as `createDirectus(url, { globals: { fetch } })`. */
export const fetchFor = (run: Run): typeof globalThis.fetch =>
  async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input instanceof URL || typeof input === 'string' ? new URL(String(input), 'http://standin.invalid') : input, init);
    const requestInput = await inputFromRequest(request, Date.now());
    const reply = responseOf(run(requestInput), requestInput.id);
    if (!reply) throw new TypeError('fetch failed: standin is closed');
    return toResponse(reply, request.method);
  };
