// The home page at /admin (where Directus serves its app, and where `/` redirects): a static page that
// lists the collections and shows their rows live through the WebSocket API. This module only serves
// the page and the list of collections it starts from; the page itself asks the core for everything.
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { summarize, type State } from '../core/index.ts';
import { packageFile } from './package-files.ts';

/** The page from the sources, or from a build (scripts/build.ts copies it into dist/). */
const readPage = (): string => {
  for (const candidate of ['adapters/home-page.html', 'dist/adapters/home-page.html']) {
    const path = packageFile(candidate);
    if (existsSync(path)) return readFileSync(path, 'utf8');
  }
  return '<!doctype html><title>standin</title><p>The home page is missing from this build of standin (adapters/home-page.html).</p>';
};

const reply = (res: ServerResponse, type: string, body: string): void => {
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
};

/** A request handler for the home page; `state` gives the server's current state. */
export const homePage = (state: () => State) => {
  let html: string | undefined;
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET') return false;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/admin' || path === '/admin/') {
      html ??= readPage();
      reply(res, 'text/html; charset=utf-8', html);
      return true;
    }
    if (path === '/admin/collections.json') {
      const current = state();
      const collections = summarize(current).collections.map(({ name, primary, singleton }) => ({ name, primary, singleton }));
      reply(res, 'application/json; charset=utf-8', JSON.stringify({ authMode: current.config.authMode, collections }));
      return true;
    }
    return false;
  };
};
