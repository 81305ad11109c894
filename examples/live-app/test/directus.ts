// The Directus the component suite talks to: standin/msw under MSW's setupServer. Import this module
// before anything that imports @directus/sdk: the SDK keeps the global fetch and WebSocket it finds
// when it is loaded, and they must be the ones MSW replaced.
import './node20.ts';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach } from 'vitest';
import { setupServer } from 'msw/node';
import { createMswStandin } from 'standin/msw';

export const url = 'http://directus.test';
export const directus = createMswStandin({ url, data: JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../db.json'), 'utf8')) });
const server = setupServer(...directus.handlers);
server.listen({ onUnhandledFrame: 'error' });

const seeded = directus.snapshot();
beforeEach(() => directus.reset(seeded));
afterAll(() => {
  server.close();
  directus.close();
});

/** A post created by the test, as another user would: straight into the standin, no MSW in between. */
export const createPost = async (title: string): Promise<{ id: number; title: string }> => {
  const response = await directus.fetch(`${url}/items/posts?fields=id,title`, {
    method: 'POST', headers: { authorization: 'Bearer admin-token', 'content-type': 'application/json' },
    body: JSON.stringify({ title, status: 'published' }),
  });
  return (await response.json()).data;
};
