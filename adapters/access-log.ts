// One line per REST request and per WebSocket connection, as json-server logs its requests: text for
// people (`GET /items/posts 200 1.2 ms`), JSON Lines for machines.

/** What the server reports: a request answered, a WebSocket opened, refused or closed. */
export type AccessEvent =
  | { readonly kind: 'request'; readonly method: string; readonly url: string; readonly status: number; readonly ms: number }
  | { readonly kind: 'open'; readonly conn: string; readonly url: string }
  | { readonly kind: 'refuse'; readonly url: string; readonly status: number }
  | { readonly kind: 'close'; readonly conn: string; readonly code: number; readonly ms: number };

/** Tokens in a URL are never logged. */
const redact = (url: string): string => url.replace(/([?&]access_token=)[^&]*/gi, '$1…');

const duration = (ms: number): string => (ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(1)} s`);

export const accessLine = (event: AccessEvent): string => {
  switch (event.kind) {
    case 'request':
      return `${event.method} ${redact(event.url)} ${event.status} ${duration(event.ms)}`;
    case 'open':
      return `WS ${redact(event.url)} ${event.conn} connected`;
    case 'refuse':
      return `WS ${redact(event.url)} refused ${event.status}`;
    case 'close':
      return `WS ${event.conn} closed ${event.code} after ${duration(event.ms)}`;
  }
};

export const accessJson = (event: AccessEvent, time: Date): string => {
  const fields = 'url' in event ? { ...event, url: redact(event.url) } : event;
  return JSON.stringify({ time: time.toISOString(), ...fields, ...('ms' in event ? { ms: Math.round(event.ms * 100) / 100 } : {}) });
};
