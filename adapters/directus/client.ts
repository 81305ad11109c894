// A minimal client for a real Directus's REST API: JSON in and out, Directus's error text on failure.
// `standin pull` and `standin import` talk to Directus through it.

export type Fetch = typeof globalThis.fetch;

/** A Directus reply that was not a success, with the message Directus gave. */
export class DirectusRequestError extends Error {
  readonly status: number;
  constructor(method: string, path: string, status: number, message: string) {
    super(`${method} ${path} answered ${status}: ${message}`);
    this.status = status;
  }
}

export interface DirectusClient {
  /** The request's JSON reply (its `data` member unwrapped); undefined for a 204. */
  readonly request: (method: string, path: string, body?: unknown) => Promise<unknown>;
}

const errorText = (text: string): string => {
  try {
    const errors = (JSON.parse(text) as { errors?: { message?: string }[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) return errors.map((e) => e.message).join('; ');
  } catch {
    // not JSON: the text itself says what went wrong
  }
  return text.slice(0, 300) || '(empty reply)';
};

/** Directus answers 503 "Under pressure" (its pressure limiter) and 429 for a moment: wait and ask again (a GET also when its connection failed). */
const RETRY_STATUS = new Set([429, 503]);
const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const directusClient = (url: string, token: string, fetcher: Fetch = globalThis.fetch): DirectusClient => {
  const base = url.replace(/\/+$/, '');
  /** One attempt; null when a GET's connection failed (a kept-alive socket the server just closed). */
  const once = async (method: string, path: string, body: unknown): Promise<Response | null> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    try {
      return await fetcher(`${base}${path}`, init);
    } catch (error) {
      if (method === 'GET') return null;
      throw new DirectusRequestError(method, path, 0, `cannot reach ${base} (${(error as Error).cause ?? (error as Error).message})`);
    }
  };
  return {
    request: async (method, path, body) => {
      let response = await once(method, path, body);
      for (const delay of RETRY_DELAYS_MS) {
        if (response !== null && !RETRY_STATUS.has(response.status)) break;
        await response?.body?.cancel();
        await sleep(delay);
        response = await once(method, path, body);
      }
      if (response === null) throw new DirectusRequestError(method, path, 0, `cannot reach ${base}`);
      const text = await response.text();
      if (!response.ok) throw new DirectusRequestError(method, path, response.status, errorText(text));
      if (text === '') return undefined;
      const json = JSON.parse(text) as { data?: unknown };
      return json.data;
    },
  };
};
