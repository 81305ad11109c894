// The app as a component: mounted into happy-dom, its REST and WebSocket answered by standin/msw.
// The same tests as e2e/live-list.spec.ts, with the same results.
import { createPost, url } from './directus.ts';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { mountLiveList, type LiveList } from '../app.ts';

const SEED = ['Hello standin', 'Draft notes', 'Realtime with Directus SDK'];
let root: HTMLElement;
let app: LiveList;
const titles = () => [...root.querySelectorAll('.posts li')].map((li) => li.textContent);

beforeEach(async () => {
  root = document.createElement('div');
  document.body.replaceChildren(root);
  app = mountLiveList(root, { url, token: 'admin-token' });
  await app.ready;
});
afterEach(() => app.stop());

it('lists the posts it reads over REST', () => {
  expect(titles()).toEqual(SEED);
  expect(root.querySelector('[role=status]')?.textContent).toBe('3 posts');
});

it('adds a post from the form and lists it once', async () => {
  root.querySelector('input')!.value = 'From the form';
  root.querySelector('button')!.click();
  await vi.waitFor(() => expect(titles()).toEqual([...SEED, 'From the form']));
  await vi.waitFor(() => expect(app.events).toEqual(['create 4']));
  expect(titles()).toHaveLength(4);
});

it('shows a post another user creates, live', async () => {
  await createPost('From the test');
  await vi.waitFor(() => expect(titles()).toEqual([...SEED, 'From the test']));
  expect(app.events).toEqual(['create 4']);
});

it('starts every test from the seed', async () => {
  expect(titles()).toEqual(SEED);
  expect(await createPost('Again')).toEqual({ id: 4, title: 'Again' });
});

it('sees 1,000 creates from the test and from the page, in order, none lost', async () => {
  // The page has 500 creates in flight at once while the test makes 500, one after another.
  const fromPage = Promise.all(Array.from({ length: 500 }, (_, i) => app.create(`page ${i}`)));
  for (let i = 0; i < 500; i++) await createPost(`test ${i}`);
  await fromPage;
  await vi.waitFor(() => expect(app.events).toHaveLength(1000), { timeout: 120_000 });
  expect(app.events).toEqual(Array.from({ length: 1000 }, (_, i) => `create ${i + 4}`));
  expect(titles()).toHaveLength(1003);
  expect(titles()).toContain('page 499');
  expect(titles()).toContain('test 499');
});
