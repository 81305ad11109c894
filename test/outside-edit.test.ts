// The `outside-edit` input: another program's edit of the data file is merged as writes, diffed
// against the version of the file it was made from, so acknowledged writes are never undone by it
// and subscribers get the events it implies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { dataToJson, type Data, type Output } from '../core/index.ts';
import { getItem } from '../core/store.ts';
import { Driver, fixtureState, NOW } from './driver.ts';

type Json = Record<string, any>;

const subscribed = (): Driver => {
  const d = new Driver(fixtureState({ heartbeatPeriod: 0 })).admin('A').admin('S');
  d.send('S', { type: 'subscribe', collection: 'authors', query: { fields: ['id', 'name', 'email'] }, uid: 'authors' });
  d.send('S', { type: 'subscribe', collection: 'articles', query: { fields: ['id', 'title', 'rating'] }, uid: 'articles' });
  return d;
};

/** The data file as it would be written for `data` (a deep copy another program can edit). */
const fileOf = (d: Driver, data: Data = d.state.data): Json => structuredClone(dataToJson(d.state.schema, data));

const edit = (d: Driver, edited: unknown, bases: readonly Data[]) => {
  const outputs = d.input({ type: 'outside-edit', edited, bases, now: NOW });
  const logs = outputs.filter((o): o is Extract<Output, { type: 'log' }> => o.type === 'log').map((o) => o.text);
  const events = outputs.filter((o): o is Extract<Output, { type: 'send' }> => o.type === 'send' && o.conn === 'S').map((o) => JSON.parse(o.text));
  return { logs, events };
};

const row = (d: Driver, collection: string, key: number) => getItem(d.state.data.collections[collection]!, key);

describe('an outside edit of the data file', () => {
  it('is applied as creates, updates and deletes that subscribers hear about', () => {
    const d = subscribed();
    const file = fileOf(d);
    file['authors'].push({ id: 40, name: 'Added by hand', email: null });
    file['authors'][0].name = 'Alice (edited)';
    file['authors'] = file['authors'].filter((a: Json) => a['id'] !== 3);
    const { logs, events } = edit(d, file, [d.state.data]);
    assert.deepEqual(events, [
      { type: 'subscription', event: 'delete', data: [3], uid: 'authors' },
      { type: 'subscription', event: 'create', data: [{ id: 40, name: 'Added by hand', email: null }], uid: 'authors' },
      { type: 'subscription', event: 'update', data: [{ id: 1, name: 'Alice (edited)', email: 'alice@example.com' }], uid: 'authors' },
    ]);
    assert.deepEqual(logs, ['merged an outside edit: 1 created, 1 updated, 1 deleted']);
    assert.equal(row(d, 'authors', 3), undefined);
    assert.equal(row(d, 'authors', 40)?.['name'], 'Added by hand');
    // The auto-increment moves past a key the edit added, as it does for any write.
    const created = d.reply('A', { type: 'items', collection: 'authors', action: 'create', data: { name: 'next' }, query: { fields: ['id'] } });
    assert.deepEqual(created, { type: 'items', data: { id: 41 } });
  });

  it('keeps the writes acknowledged since the file was written, and the fields the edit did not change', () => {
    const d = subscribed();
    const base = d.state.data;
    const file = fileOf(d);
    // Writes after the file was written (they live in the journal and in memory, not in db.json).
    d.send('A', { type: 'items', collection: 'articles', action: 'create', data: { title: 'Written meanwhile' } });
    d.send('A', { type: 'items', collection: 'articles', action: 'update', id: 1, data: { rating: 1 } });
    // The editor changes another field of article 1 and another article.
    file['articles'][0].title = 'Edited title';
    file['articles'][1].rating = 2;
    const { logs, events } = edit(d, file, [base]);
    assert.deepEqual(logs, ['merged an outside edit: 0 created, 2 updated, 0 deleted']);
    assert.deepEqual(events, [{ type: 'subscription', event: 'update', data: [{ id: 1, title: 'Edited title', rating: 1 }, { id: 2, title: file['articles'][1].title, rating: 2 }], uid: 'articles' }]);
    assert.equal(row(d, 'articles', 13)?.['title'], 'Written meanwhile', 'the create is not undone by a file that lacks it');
    assert.equal(row(d, 'articles', 1)?.['rating'], 1, "the write's field stays");
  });

  it('lets the edit win a field a write changed too, and says so', () => {
    const d = subscribed();
    const base = d.state.data;
    const file = fileOf(d);
    d.send('A', { type: 'items', collection: 'articles', action: 'update', id: 1, data: { title: 'By a client', rating: 1 } });
    d.send('A', { type: 'items', collection: 'articles', action: 'delete', id: 2 });
    file['articles'][0].title = 'By the editor';
    file['articles'][1].title = 'Edited after a client deleted it';
    const { logs } = edit(d, file, [base]);
    assert.deepEqual(logs, [
      'the outside edit and a write both changed title of articles 1: the edit won (it came later)',
      'the outside edit changed articles 2, which a write deleted after the file was saved: the edit won (it came later)',
      'merged an outside edit: 1 created, 1 updated, 0 deleted',
    ]);
    assert.deepEqual([row(d, 'articles', 1)?.['title'], row(d, 'articles', 1)?.['rating']], ['By the editor', 1]);
    assert.equal(row(d, 'articles', 2)?.['title'], 'Edited after a client deleted it');
  });

  it('is diffed against the version of the file it was made from, so an older copy undoes nothing', () => {
    const d = subscribed();
    const older = d.state.data;
    const editorsCopy = fileOf(d); // the editor read the file here…
    d.send('A', { type: 'items', collection: 'articles', action: 'update', id: 3, data: { title: 'Saved by standin' } });
    d.send('A', { type: 'items', collection: 'articles', action: 'create', data: { title: 'Also saved' } });
    const newer = d.state.data; // …and standin rewrote the file with these writes before the editor saved
    editorsCopy['authors'][1].name = 'Bob (edited)';
    const { logs, events } = edit(d, editorsCopy, [newer, older]);
    assert.deepEqual(logs, ['merged an outside edit: 0 created, 1 updated, 0 deleted']);
    assert.equal(events.length, 1);
    assert.equal(row(d, 'articles', 3)?.['title'], 'Saved by standin');
    assert.equal(row(d, 'articles', 13)?.['title'], 'Also saved');
    assert.equal(row(d, 'authors', 2)?.['name'], 'Bob (edited)');
  });

  it('changes nothing and sends nothing when the edit matches the file', () => {
    const d = subscribed();
    const before = d.state;
    const { logs, events } = edit(d, fileOf(d), [d.state.data]);
    assert.deepEqual(logs, ['merged an outside edit: 0 created, 0 updated, 0 deleted']);
    assert.deepEqual(events, []);
    assert.equal(d.state, before);
  });

  it('ignores content that is not data, and names collections it cannot serve', () => {
    const d = subscribed();
    const before = d.state;
    assert.deepEqual(edit(d, { articles: 'not a list' }, [d.state.data]).logs, ['ignored an outside edit: collection "articles" must be an array of items or an object']);
    assert.deepEqual(edit(d, [1, 2], [d.state.data]).logs, ['ignored an outside edit: the data must be a JSON object with one key per collection']);
    assert.equal(d.state, before);
    const file = fileOf(d);
    file['comments'] = [{ id: 1 }];
    assert.deepEqual(edit(d, file, [d.state.data]).logs, [
      'the outside edit\'s "comments" is not a collection of the schema; ignored (restart to serve new collections)',
      'merged an outside edit: 0 created, 0 updated, 0 deleted',
    ]);
  });

  it('takes changed system records from the edit', () => {
    const d = subscribed();
    const file = fileOf(d);
    file['directus_users'].find((u: Json) => u['token'] === 'reader-static-token').token = 'new-reader-token';
    const { logs } = edit(d, file, [d.state.data]);
    assert.deepEqual(logs, ['the outside edit replaced directus_users', 'merged an outside edit: 0 created, 0 updated, 0 deleted']);
    const refused = (token: string) => d.input({ type: 'open', conn: token, query: `?access_token=${token}`, now: NOW }).some((o) => o.type === 'refuse');
    assert.deepEqual([refused('new-reader-token'), refused('reader-static-token')], [false, true]);
  });
});

describe('an outside edit, for generated edits', () => {
  const byId = (rows: Json[]) => [...rows].sort((a, b) => a['id'] - b['id']);
  const value = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }));
  /** An edit of the authors and articles: per row keep, change a field, drop a field, or delete; plus new rows. */
  const editOf = (file: Json) => fc.record({
    authors: fc.tuple(...(file['authors'] as Json[]).map(() => fc.tuple(fc.constantFrom('keep', 'change', 'drop', 'delete'), fc.constantFrom('name', 'email'), value))),
    articles: fc.tuple(...(file['articles'] as Json[]).map(() => fc.tuple(fc.constantFrom('keep', 'keep', 'change', 'delete'), fc.constantFrom('title', 'rating', 'tags'), value))),
    added: fc.uniqueArray(fc.integer({ min: 100, max: 120 }), { maxLength: 3 }),
  });
  const apply = (rows: Json[], plan: readonly (readonly [string, string, unknown])[]) =>
    rows.flatMap((row, i) => {
      const [what, field, to] = plan[i]!;
      if (what === 'delete') return [];
      const copy = { ...row };
      if (what === 'change') copy[field] = to;
      if (what === 'drop') delete copy[field];
      return [copy];
    });

  it('with no writes since the base, the merged data is the edited file, and merging it again changes nothing', () => {
    const start = subscribed();
    const file = fileOf(start);
    fc.assert(fc.property(editOf(file), (plan) => {
      const d = new Driver(start.state);
      const edited = structuredClone(file);
      edited['authors'] = apply(edited['authors'], plan.authors);
      edited['articles'] = apply(edited['articles'], plan.articles);
      for (const id of plan.added) edited['authors'].push({ id, name: `new ${id}`, email: null });
      const { events } = edit(d, edited, [start.state.data]);
      const merged = fileOf(d);
      assert.deepEqual(byId(merged['authors']), byId(edited['authors']));
      assert.deepEqual(byId(merged['articles']), byId(edited['articles']));
      const deleted = plan.authors.filter(([what]) => what === 'delete').length;
      assert.equal(events.filter((e) => e.event === 'delete' && e.uid === 'authors').flatMap((e) => e.data).length, deleted);
      assert.deepEqual(edit(d, edited, [d.state.data]).events, [], 'nothing left to merge');
    }), { numRuns: 300 });
  });
});
