// What only routing gives (project `routed`): no port at all, a standin per page, and the test
// reading the page's Directus state directly.
import { dataToJson } from 'standin';
import { routeStandin } from 'standin/playwright';
import { expect, openApp, seed, serveApp, test } from './fixtures.ts';

test('opens no port: every response comes from a route and nothing listens in the test process', async ({ page, directus, appBundle }) => {
  const responses: { request: string; address: unknown }[] = [];
  page.on('response', (response) => void response.serverAddr().then((address) => {
    responses.push({ request: `${response.request().method()} ${new URL(response.url()).pathname}`, address });
  }));
  await serveApp(page, directus.url, appBundle);
  await openApp(page, directus.url);
  await page.getByLabel('Title').fill('No port');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.locator('.posts li')).toHaveCount(4);
  // The page: documents, scripts and REST calls, none of them reached a socket.
  await expect.poll(() => responses.map((response) => response.request).sort()).toEqual(
    ['GET /items/posts', 'GET /live-app/', 'GET /live-app/app.js', 'POST /items/posts'],
  );
  expect(responses.map((response) => response.address)).toEqual([null, null, null, null]);
  // The test process: Chromium is driven over a pipe, and no server is listening.
  expect(process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap')).toEqual([]);
  // The write reached the routed standin, which the test reads directly.
  const state = directus.standin!.state;
  expect((dataToJson(state.schema, state.data)['posts'] as { title: string }[]).map((post) => post.title)).toContain('No port');
});

test('two pages in one test each see their own data', async ({ context, appBundle }) => {
  const pages = await Promise.all([context.newPage(), context.newPage()]);
  const url = 'http://directus.test';
  const titles = [['Only on page one'], ['Page two, first', 'Page two, second']];
  const standins = await Promise.all(pages.map(async (page, i) => {
    const posts = titles[i]!.map((title, n) => ({ id: n + 1, title, status: 'published' }));
    const standin = await routeStandin(page, { url, data: { ...seed(), posts } });
    await serveApp(page, url, appBundle);
    await openApp(page, url);
    return standin;
  }));
  await expect(pages[0]!.locator('.posts li')).toHaveText(titles[0]!);
  await expect(pages[1]!.locator('.posts li')).toHaveText(titles[1]!);
  // A write on one page's standin reaches that page's subscription only.
  await standins[1]!.fetch(`${url}/items/posts`, {
    method: 'POST', headers: { authorization: 'Bearer admin-token', 'content-type': 'application/json' }, body: '{"title":"Pushed to page two"}',
  });
  await expect(pages[1]!.locator('.posts li')).toHaveText([...titles[1]!, 'Pushed to page two']);
  await expect(pages[0]!.locator('.posts li')).toHaveText(titles[0]!);
  for (const standin of standins) standin.close();
});
