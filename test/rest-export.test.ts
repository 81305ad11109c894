// `?export=`: Directus's respond middleware sends a route's `data` as a file instead of the `{data}`
// envelope — CSV through json2csv (nested objects flattened to `a.b` columns, lists as JSON text),
// JSON indented with tabs. Every expected body is what Directus 12.4 sent for the same request
// (tools/differential/probe.ts and curl, content fixture).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Output } from '../core/index.ts';
import { driver } from './differential-driver.ts';
import { NOW, type Driver } from './driver.ts';

type Respond = Extract<Output, { type: 'respond' }>;

const send = (d: Driver, method: string, url: string, body?: unknown): Respond => {
  const [path, query = ''] = url.split('?') as [string, string?];
  const headers: Record<string, string> = { authorization: 'Bearer admin-token', ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const outputs = d.input({ type: 'request', id: 'r', method, path, query, headers, body: body === undefined ? undefined : JSON.stringify(body), now: NOW });
  return outputs.find((o): o is Respond => o.type === 'respond')!;
};

const PAGE = (n: number) => `0000000${n}-a000-4000-8000-000000000000`;

describe('export', () => {
  it('csv: a singleton with no row exports its defaults; a page, its flattened relations', () => {
    const d = driver('content');
    const none = send(d, 'GET', '/items/site?fields[0]=%2A&fields[1]=maintenance&fields[2]=title&fields[3]=id&sort[0]=tagline&offset=100&export=csv');
    assert.equal(none.status, 200);
    assert.equal(none.body, '"id","maintenance"\n,false');
    assert.equal(none.headers['content-type'], 'text/csv; charset=utf-8');
    // NOW is 2026-11-27T12:00:00Z: Directus's stamp does not pad hours, minutes or seconds.
    assert.equal(none.headers['content-disposition'], 'attachment; filename="site 20261127-1200.csv"');
    assert.equal(send(d, 'GET', '/items/pages_blocks?export=csv&fields=*,item.*,pages_id.title&limit=3').body,
      '"id","pages_id.title","item.id","item.body","item.words","collection","item.url","item.width","item.ratio"\n'
      + '1,"Home","00000001-b000-4000-8000-000000000000","Welcome home",2,"block_text",,,\n'
      + '2,"Home","00000001-c000-4000-8000-000000000000",,,"block_image","https://example.com/a.png",800,1.5\n'
      + '3,"About","00000002-b000-4000-8000-000000000000","We are a small team",5,"block_text",,,');
    // Nothing to export is an empty file.
    assert.equal(send(d, 'GET', '/items/pages?export=csv&filter[id][_eq]=00000009-a000-4000-8000-000000000000').body, '');
  });

  it('csv_utf8 starts with a byte order mark; a json field\'s object is flattened, its other values kept as they are', () => {
    const d = driver('content');
    assert.equal(send(d, 'GET', '/items/pages?export=csv_utf8&fields=id,title,meta&meta=*').body,
      `\ufeff"id","title","meta.nav","meta","meta.order"\n"${PAGE(1)}","Home",true,,\n"${PAGE(2)}","About",,,\n"${PAGE(3)}","Draft page",false,,3\n"${PAGE(4)}","Contact",,"[]",`);
  });

  it('a write\'s read-back is exported too; json is indented with tabs', () => {
    const d = driver('content');
    assert.equal(send(d, 'PATCH', '/items/site?export=csv', { title: 'a,"b"' }).body, '"id","title","tagline","maintenance"\n1,"a,""b""","Things we write",false');
    const json = send(d, 'GET', '/items/site?export=json');
    assert.equal(json.body, '{\n\t"id": 1,\n\t"title": "a,\\"b\\"",\n\t"tagline": "Things we write",\n\t"maintenance": false\n}');
    assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(json.headers['content-disposition'], 'attachment; filename="site 20261127-1200.json"');
  });
});
