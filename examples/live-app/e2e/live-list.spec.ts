// The app end to end in Chromium. Runs twice (playwright.config.ts): against a routed standin and
// against the file server on a port; test/live-list.test.ts is the same suite under vitest + MSW.
import type { Page } from '@playwright/test';
import type { LiveList } from '../app.ts';
import { expect, test } from './fixtures.ts';

declare const liveApp: LiveList;
const SEED = ['Hello standin', 'Draft notes', 'Realtime with Directus SDK'];
const events = (page: Page) => page.evaluate(() => [...liveApp.events]);

test('lists the posts it reads over REST', async ({ app }) => {
  await expect(app.locator('.posts li')).toHaveText(SEED);
  await expect(app.getByRole('status')).toHaveText('3 posts');
});

test('adds a post from the form and lists it once', async ({ app }) => {
  await app.getByLabel('Title').fill('From the form');
  await app.getByRole('button', { name: 'Add' }).click();
  await expect(app.locator('.posts li')).toHaveText([...SEED, 'From the form']);
  await expect.poll(() => events(app)).toEqual(['create 4']);
  await expect(app.locator('.posts li')).toHaveCount(4);
});

test('shows a post another user creates, live', async ({ app, directus }) => {
  await directus.create('From the test');
  await expect(app.locator('.posts li')).toHaveText([...SEED, 'From the test']);
  expect(await events(app)).toEqual(['create 4']);
});

test('starts every test from the seed', async ({ app, directus }) => {
  await expect(app.locator('.posts li')).toHaveText(SEED);
  expect(await directus.create('Again')).toEqual({ id: 4, title: 'Again' });
});

test('sees 1,000 creates from the test and from the page, in order, none lost', async ({ app, directus }) => {
  // The page has 500 creates in flight at once while the test makes 500, one after another.
  const fromPage = app.evaluate((n) => Promise.all(Array.from({ length: n }, (_, i) => liveApp.create(`page ${i}`))), 500);
  for (let i = 0; i < 500; i++) await directus.create(`test ${i}`);
  await fromPage;
  await expect.poll(() => app.evaluate(() => liveApp.events.length), { timeout: 120_000 }).toBe(1000);
  expect(await events(app)).toEqual(Array.from({ length: 1000 }, (_, i) => `create ${i + 4}`));
  await expect(app.locator('.posts li')).toHaveCount(1003);
  await expect(app.getByText('page 499', { exact: true })).toBeVisible();
  await expect(app.getByText('test 499', { exact: true })).toBeVisible();
});
