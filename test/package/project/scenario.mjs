// What a consumer's test does with standin/testing and the real SDK, shared by the three runners
// (node --test, vitest, jest), which each load it through their own module system and assert on it.
import { readFileSync } from 'node:fs';
import { createDirectus, createItem, readItems, realtime, rest, staticToken } from '@directus/sdk';
import { createStandin } from 'standin/testing';

/** A subscription message without the uid the SDK picked. */
const withoutUid = ({ uid, ...message }) => message;

export const scenario = async () => {
  const standin = createStandin({ data: JSON.parse(readFileSync(new URL('./db.json', import.meta.url), 'utf8')) });
  const client = createDirectus('http://standin.test', { globals: { fetch: standin.fetch, WebSocket: standin.WebSocket } })
    .with(staticToken('admin-token'))
    .with(rest())
    .with(realtime({ reconnect: false }));
  try {
    await client.connect();
    const { subscription } = await client.subscribe('posts', { query: { fields: ['id', 'title'] } });
    const init = withoutUid((await subscription.next()).value);
    const nextEvent = subscription.next(); // asked for before the write, so the event cannot slip by
    const created = await client.request(createItem('posts', { title: 'From a consumer', status: 'draft' }));
    const createEvent = withoutUid((await nextEvent).value);
    const drafts = await client.request(readItems('posts', { fields: ['title'], filter: { status: { _eq: 'draft' } }, sort: ['id'] }));
    return { init, created, event: createEvent, drafts };
  } finally {
    client.disconnect();
    standin.close();
  }
};

export const expected = {
  init: { type: 'subscription', event: 'init', data: [{ id: 1, title: 'Hello' }, { id: 2, title: 'Draft' }] },
  created: { id: 3, title: 'From a consumer', status: 'draft' },
  event: { type: 'subscription', event: 'create', data: [{ id: 3, title: 'From a consumer' }] },
  drafts: [{ title: 'Draft' }, { title: 'From a consumer' }],
};
