// Values are stored and returned as the field's type makes them in Directus on SQLite. Every case is
// what a live Directus 12.4 sent back for a create of one field of the typed fixture (see the
// fixture's `about`): numbers written to string fields come back as text, numeric text written to
// numeric fields as numbers, dates in their type's format, csv as lists, and so on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { JsonValue } from '../core/index.ts';
import { sqliteRealText } from '../core/stored-value.ts';
import { parseIsoDate } from '../core/iso-date.ts';
import { Driver, typedState } from './driver.ts';

interface Case {
  readonly field: string;
  readonly sent: JsonValue;
  readonly data?: JsonValue;
  readonly error?: { code: string; message: string };
  readonly silent?: true;
}

const { cases } = JSON.parse(readFileSync(new URL('./fixtures/typed-stored-values.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('stored values, per field type, as Directus on SQLite returns them', () => {
  const byField = new Map<string, Case[]>();
  for (const c of cases) byField.set(c.field, [...(byField.get(c.field) ?? []), c]);
  for (const [field, list] of byField) {
    it(`${field}: ${list.length} values written by create come back as Directus sent them`, () => {
      for (const c of list) {
        const d = new Driver(typedState()).admin();
        const frames = d.frames('A', { type: 'items', collection: 'typed', action: 'create', uid: 'u', data: { [field]: c.sent }, query: { fields: ['id', field] } });
        const label = `${field} = ${JSON.stringify(c.sent)}`;
        if (c.silent) {
          assert.deepEqual(frames, [], label);
          const count = d.reply('A', { type: 'items', collection: 'typed', action: 'read', uid: 'r', query: { aggregate: { count: '*' } } });
          assert.deepEqual(count, { type: 'items', data: [{ count: 4 }], uid: 'r' }, `${label}: nothing written`);
        } else if (c.error) assert.deepEqual(frames, [{ type: 'items', status: 'error', error: c.error, uid: 'u' }], label);
        else assert.deepEqual(frames, [{ type: 'items', data: { id: 5, [field]: c.data! }, uid: 'u' }], label);
      }
    });
  }
});

describe('SQLite text of a REAL (a number written to a text column)', () => {
  it('matches what SQLite 3.52 (the oracle\'s sqlite3) wrote', () => {
    const measured: [number, string][] = [
      [0.1, '0.1'], [1.5, '1.5'], [1e21, '1.0e+21'], [1e16, '10000000000000000.0'], [1e15, '1000000000000000.0'],
      [1e17, '1.0e+17'], [123456789012345680000, '1.2345678901234568e+20'], [0.00001, '1.0e-05'], [0.0001, '0.0001'],
      [2 ** 31, '2147483648.0'], [100.25, '100.25'], [1e-7, '1.0e-07'], [12345.678, '12345.678'], [1e20, '1.0e+20'],
      [123456789.123, '123456789.123'], [1.7976931348623157e308, '1.7976931348623157e+308'],
    ];
    for (const [n, text] of measured) assert.equal(sqliteRealText(n), text, String(n));
  });
});

describe('parseIsoDate (date-fns parseISO on a UTC server)', () => {
  const iso = (text: string) => {
    const ms = parseIsoDate(text);
    return Number.isNaN(ms) ? null : new Date(ms).toISOString();
  };
  it('reads calendar, week and ordinal dates, times with fractions and offsets', () => {
    assert.equal(iso('2024-01-15'), '2024-01-15T00:00:00.000Z');
    assert.equal(iso('2024-01-15 10:00'), '2024-01-15T10:00:00.000Z');
    assert.equal(iso('2024-01-15T10:00:00.123+02:00'), '2024-01-15T08:00:00.123Z');
    assert.equal(iso('20240115T1030'), '2024-01-15T10:30:00.000Z');
    assert.equal(iso('2024-W03-1'), '2024-01-15T00:00:00.000Z');
    assert.equal(iso('2024-015'), '2024-01-15T00:00:00.000Z');
    assert.equal(iso('2024-01-15T10:30,5'), '2024-01-15T10:30:30.000Z');
    assert.equal(iso('2024-01-15T24:00'), '2024-01-16T00:00:00.000Z');
  });
  it('refuses what date-fns refuses', () => {
    for (const text of ['5', '10:30', 'abc', '2024-02-30', '2023-02-29', '2024-13-01', '2024-01-15T25:00', '2024-01-15T10:60', '1e3', '']) {
      assert.equal(iso(text), null, text);
    }
  });
});

describe('hash fields', () => {
  it('store a real argon2id of the text written (falsy values stay as they are)', async () => {
    const { argon2id } = await import('@noble/hashes/argon2.js');
    const d = new Driver(typedState()).admin();
    const create = (h: JsonValue) =>
      (d.reply('A', { type: 'items', collection: 'typed', action: 'create', uid: 'u', data: { h }, query: { fields: ['h'] } }) as { data: { h: JsonValue } }).data.h;
    const hash = create('secret') as string;
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(hash);
    assert.ok(m, hash);
    const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const again = argon2id('secret', bytes(m[4]!), { m: Number(m[1]), t: Number(m[2]), p: Number(m[3]), dkLen: 32 });
    assert.deepEqual(again, bytes(m[5]!));
    assert.notEqual(create('secret'), hash, 'a new salt each time');
    // Measured on Directus: 0 and "" are not hashed.
    assert.equal(create(0), '0');
    assert.equal(create(''), '');
  });
});
