// `standin pull`, `export` and `import` against what a live Directus 12.4 answered (recorded by
// `npm run roundtrip`, tools/directus-roundtrip.ts): the real CLI talks over a real socket to a server
// that plays the recording back, so a request standin sends differently from the recorded one fails.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { replay, type Exchange } from './directus-transcript.ts';

const root = new URL('..', import.meta.url).pathname;
const json = (file: string): any => JSON.parse(readFileSync(file, 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'standin-pull-'));
after(() => rmSync(work, { recursive: true, force: true }));

interface Run { readonly code: number | null; readonly stderr: string }
const standin = (args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stderr }));
  });

const FIXTURES = [
  ['conformance', '../shared/conformance/fixture'],
  ['relations', '../shared/conformance/relations/fixture'],
] as const;

for (const [name, fixture] of FIXTURES) {
  describe(`the ${name} fixture, pulled from Directus and exported back`, () => {
    const pulled = json(join(root, `test/fixtures/directus/${name}.pull.json`));
    const imported = json(join(root, `test/fixtures/directus/${name}.import.json`));
    const db = json(join(root, fixture, 'db.json'));
    const dir = join(work, name);
    const out = join(dir, 'db.json');

    it('pull writes the snapshot Directus sent and every row of every collection, in key order', async () => {
      const server = await replay(pulled.exchanges as Exchange[]);
      try {
        const run = await standin(['pull', server.url, '--token', pulled.token, '--keep-token', '--out', out]);
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(server.mismatches, []);
        assert.equal(server.played(), pulled.exchanges.length);
        assert.match(run.stderr, /standin: schema: \d+ collection\(s\)/);
      } finally {
        await server.close();
      }
      const snapshot = JSON.parse(pulled.exchanges[0].reply).data;
      assert.deepEqual(json(join(dir, 'schema.json')), snapshot);
      const data = json(out);
      for (const c of snapshot.collections.map((x: any) => x.collection)) {
        const pk = snapshot.fields.find((f: any) => f.collection === c && f.schema?.is_primary_key).field;
        const want = Array.isArray(db[c]) ? [...db[c]].sort((a: any, b: any) => (a[pk] < b[pk] ? -1 : 1)) : db[c];
        assert.deepEqual(data[c], want, c);
      }
      // Directus never sends a password; the token given is kept for its own user only.
      const me = data.directus_users.find((u: any) => u.token === pulled.token);
      assert.ok(me, 'the admin keeps the token it was pulled with');
      assert.ok(data.directus_users.every((u: any) => u.password === null));
      assert.ok(data.directus_permissions.every((p: any) => p.system !== true && typeof p.id === 'number'));
    });

    it('a second pull does not overwrite the file without --force', async () => {
      const before = readFileSync(out, 'utf8');
      const run = await standin(['pull', 'http://127.0.0.1:9', '--token', 'x', '--out', out]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /exists; pass --force to replace it/);
      assert.equal(readFileSync(out, 'utf8'), before);
    });

    it('export then import sends Directus exactly the requests it accepted, in dependency order', async () => {
      const exported = join(dir, 'export');
      const exportRun = await standin(['export', out, '--schema', join(dir, 'schema.json'), '--out', exported]);
      assert.equal(exportRun.code, 0, exportRun.stderr);
      assert.ok(existsSync(join(exported, 'manifest.json')));
      const server = await replay(imported.exchanges as Exchange[]);
      try {
        const run = await standin(['import', exported, '--url', server.url, '--token', 'importer-token']);
        assert.deepEqual(server.mismatches, []);
        assert.equal(server.played(), imported.exchanges.length);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stderr, /imported \d+ records/);
      } finally {
        await server.close();
      }
    });
  });
}

describe('standin export of a json-server file', () => {
  it('describes inferred collections as Directus would and orders collections after the ones they point at', async () => {
    const file = join(work, 'plain.json');
    writeFileSync(file, JSON.stringify({
      posts: [{ id: 1, title: 'Hello', author: 'ada' }],
      authors: [{ id: 'ada', name: 'Ada', mentor: null }],
      $schema: { relations: [
        { collection: 'posts', field: 'author', related_collection: 'authors' },
        { collection: 'authors', field: 'mentor', related_collection: 'authors' },
      ] },
    }));
    const dir = join(work, 'plain-export');
    const run = await standin(['export', file, '--out', dir]);
    assert.equal(run.code, 0, run.stderr);
    const manifest = json(join(dir, 'manifest.json'));
    assert.deepEqual(manifest.steps.map((s: any) => [s.path, s.deferred]), [['/items/authors', ['mentor']], ['/items/posts', []]]);
    const snapshot = json(join(dir, 'schema.json'));
    assert.deepEqual(snapshot.collections.map((c: any) => c.collection), ['authors', 'posts']);
    const title = snapshot.fields.find((f: any) => f.collection === 'posts' && f.field === 'title');
    assert.equal(title.type, 'string');
    assert.equal(title.schema.data_type, 'varchar');
    assert.equal(title.schema.max_length, 255);
    const id = snapshot.fields.find((f: any) => f.collection === 'posts' && f.field === 'id');
    assert.equal(id.schema.is_primary_key, true);
    assert.equal(id.schema.has_auto_increment, true);
    assert.deepEqual(snapshot.relations.map((r: any) => [r.collection, r.field, r.schema.foreign_key_table]), [['authors', 'mentor', 'authors'], ['posts', 'author', 'authors']]);
    assert.deepEqual(json(join(dir, 'items/posts.json')), [{ id: 1, title: 'Hello', author: 'ada' }]);
  });
});
