// The component suite: vitest + happy-dom, the network answered by standin/msw (no server, no port).
// The page's URL is the Directus origin, as in the end-to-end suites, so requests are same-origin.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const repository = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  // Inside this repository only: `standin/x` is the source adapters/x.ts (tsx and Playwright read
  // tsconfig's paths, vite does not). A project that installed standin needs no alias.
  resolve: { alias: [{ find: /^standin\/(.*)$/, replacement: `${repository}adapters/$1.ts` }] },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.ts'],
    environment: 'happy-dom',
    environmentOptions: { happyDOM: { url: 'http://directus.test/live-app/' } },
    testTimeout: 180_000,
  },
});
