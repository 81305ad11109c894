// A small Directus app: lists a collection with `rest()`, adds items from a form, and keeps the list
// live with a `realtime()` subscription. Nothing here knows about standin: the three test suites
// beside it point it at MSW, at Playwright routes, or at the file server on a port.
import { createDirectus, createItem, readItems, realtime, rest, staticToken } from '@directus/sdk';

export interface Post {
  readonly id: number;
  readonly title: string;
}

export interface LiveListOptions {
  /** The Directus URL, e.g. `location.origin`. */
  readonly url: string;
  readonly token: string;
  readonly collection?: string;
}

export interface LiveList {
  /** Settles once the list is loaded and the subscription is live. */
  readonly ready: Promise<void>;
  /** Every subscription event after `init`, in arrival order: `create 4`, `update 1`, `delete 2 3`. */
  readonly events: string[];
  /** What the form does: creates an item over REST and resolves with it. */
  create(title: string): Promise<Post>;
  stop(): void;
}

const TEMPLATE = `<form class="new-post"><input name="title" aria-label="Title" required><button>Add</button></form>
<p class="status" role="status">connecting…</p>
<ul class="posts"></ul>`;

export const mountLiveList = (root: HTMLElement, options: LiveListOptions): LiveList => {
  const collection = options.collection ?? 'posts';
  // Tests want `reconnect: false` (a closed socket must not be retried behind their back).
  const client = createDirectus(options.url)
    .with(staticToken(options.token))
    .with(rest())
    .with(realtime({ reconnect: false }));
  root.innerHTML = TEMPLATE;
  const form = root.querySelector('form')!;
  const status = root.querySelector('.status')!;
  const list = root.querySelector('.posts')!;
  const rows = new Map<string, Post>();
  const events: string[] = [];

  const showCount = () => {
    status.textContent = `${rows.size} ${collection}`;
  };
  // One row at a time, kept in primary-key order: a busy list stays cheap to keep live.
  const show = (post: Post) => {
    rows.set(String(post.id), post);
    const existing = list.querySelector<HTMLElement>(`li[data-id="${post.id}"]`);
    if (existing) {
      existing.textContent = post.title;
      return;
    }
    const li = root.ownerDocument.createElement('li');
    li.dataset['id'] = String(post.id);
    li.textContent = post.title;
    let after = list.lastElementChild as HTMLElement | null;
    while (after && Number(after.dataset['id']) > post.id) after = after.previousElementSibling as HTMLElement | null;
    list.insertBefore(li, after ? after.nextSibling : list.firstChild);
  };
  const remove = (key: string) => {
    rows.delete(key);
    list.querySelector(`li[data-id="${key}"]`)?.remove();
  };

  const create = (title: string) =>
    client.request(createItem(collection, { title, status: 'published' }, { fields: ['id', 'title'] })) as Promise<Post>;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = form.elements.namedItem('title') as HTMLInputElement;
    create(input.value).then((post) => {
      show(post);
      showCount();
      input.value = '';
    }, (error: { errors?: { message: string }[] }) => {
      status.textContent = `error: ${error.errors?.[0]?.message ?? String(error)}`;
    });
  });

  const start = async () => {
    await client.connect();
    const { subscription } = await client.subscribe(collection, { query: { fields: ['id', 'title'] } });
    // The first event is `init`; after it, the REST read cannot miss a change.
    const first = await subscription.next();
    if (first.done) throw new Error('subscription ended before init');
    for (const post of await client.request(readItems(collection, { fields: ['id', 'title'], sort: ['id'], limit: -1 })) as Post[]) show(post);
    showCount();
    (async () => {
      // The loop body is synchronous, so the next frame always finds the generator pulled.
      for await (const message of subscription) {
        if (message.type !== 'subscription') continue;
        const data = (message as { data?: unknown[] }).data ?? [];
        if (message.event === 'delete') {
          for (const key of data) remove(String(key));
          events.push(`delete ${data.join(' ')}`);
        } else {
          for (const post of data as Post[]) show(post);
          events.push(`${message.event} ${(data as Post[]).map((post) => post.id).join(' ')}`);
        }
        showCount();
      }
    })();
  };

  const ready = start().catch((error: unknown) => {
    status.textContent = `error: ${error instanceof Error ? error.message : JSON.stringify(error)}`;
    throw error;
  });
  return { ready, events, create, stop: () => client.disconnect() };
};
