// Recorded exchanges with a real Directus: a fetch that records them (tools/directus-roundtrip.ts), and
// an HTTP server on 127.0.0.1 that plays them back in order, so CI checks `standin pull` and
// `standin import` against what Directus answered, without a Directus.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  readonly method: string;
  /** Path and query string, as sent. */
  readonly path: string;
  readonly body: unknown;
  readonly status: number;
  /** The reply's text ('' for a 204). */
  readonly reply: string;
}

/** Wraps `fetcher` so that every exchange with `base` is appended to `into`. */
export const recording = (fetcher: typeof fetch, into: Exchange[], base: string): typeof fetch =>
  (async (input: string | URL | Request, init?: RequestInit) => {
    const response = await fetcher(input, init);
    const reply = await response.text();
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    into.push({ method: init?.method ?? 'GET', path: String(input).slice(base.length), body, status: response.status, reply });
    return new Response(reply === '' ? null : reply, { status: response.status, headers: response.headers });
  }) as typeof fetch;

export interface Replay {
  readonly url: string;
  /** Requests that did not match the next recorded exchange, described. */
  readonly mismatches: string[];
  /** How many recorded exchanges were played. */
  played: () => number;
  close: () => Promise<void>;
}

/** Serves `exchanges` in order; a request that is not the next one recorded gets a 500 and is noted. */
export const replay = async (exchanges: readonly Exchange[]): Promise<Replay> => {
  let next = 0;
  const mismatches: string[] = [];
  const server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      const body = text === '' ? undefined : JSON.parse(text);
      const expected = exchanges[next];
      const same = expected !== undefined && expected.method === request.method && expected.path === request.url &&
        JSON.stringify(expected.body) === JSON.stringify(body);
      if (!same) {
        mismatches.push(`got ${request.method} ${request.url} ${text.slice(0, 200)}; expected ${expected ? `${expected.method} ${expected.path}` : 'nothing more'}`);
        response.writeHead(500).end('{"errors":[{"message":"not the recorded request"}]}');
        return;
      }
      next++;
      response.writeHead(expected.status, expected.reply === '' ? {} : { 'content-type': 'application/json; charset=utf-8' });
      response.end(expected.reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mismatches,
    played: () => next,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
