// Values for a field type: valid ones (what a client would send), edge ones, and wrong ones.
import type { CollectionModel, FieldModel } from './model.ts';
import type { Random } from './random.ts';

export interface Drawn<T = unknown> { readonly value: T; readonly ok: boolean }

const fromRows = (c: CollectionModel, field: string): unknown[] =>
  c.rows.map((r) => r[field]).filter((v) => v !== undefined && v !== null);

const VALID: Record<string, readonly unknown[]> = {
  string: ['abc', 'Hammer', '', 'ü-x', 'a%b', 'x'.repeat(40)],
  text: ['long text', '', 'Line\nbreak'],
  integer: [0, 1, 3, -5, 2147483647, 12],
  bigInteger: [0, 5, '9007199254740993', -7],
  float: [0, 1.5, -0.25, 3],
  decimal: [0, 10.25, 3.5, -1],
  boolean: [true, false],
  json: [{ a: 1 }, [1, 2], 'text', 3, { nested: { deep: [true] } }],
  csv: [['a', 'b'], ['x'], []],
  uuid: ['3fa85f64-5717-4562-b3fc-2c963f66afa6'],
  hash: ['secret', 'p@ss'],
  timestamp: ['2024-01-01T00:00:00.000Z', '2024-03-13T03:30:00Z', '2024-06-01T12:00:00+02:00', '2024-01-01'],
  dateTime: ['2024-01-01T10:00:00', '2024-05-05T15:00:00', '2024-02-29 08:00:00'],
  date: ['2024-01-02', '2023-12-31', '2024-02-22'],
  time: ['12:00:00', '08:30', '23:59:59'],
};
const EDGE: readonly unknown[] = [null, '', '1', 1.5, -1, 'true', '2024-13-45', 1e21];
const WRONG: Record<string, readonly unknown[]> = {
  integer: ['abc', 1.5, true, {}, [1]],
  bigInteger: ['abc', {}, 1.5],
  float: ['abc', {}, true],
  decimal: ['abc', {}, [1]],
  boolean: ['yes', 2, {}],
  timestamp: ['not a date', 5, {}],
  dateTime: ['not a date', {}],
  date: ['31/12/2024', 'not a date', {}],
  time: ['25:99', 'noon', {}],
  uuid: ['not-a-uuid', 12, {}],
  string: [{ a: 1 }, [1, 2], 5, true],
  text: [{ a: 1 }, 7],
  csv: ['a,b', 5, { a: 1 }],
  json: [],
  hash: [5, {}],
};

/** A value for the field: usually valid (from the rows or the type's pool), sometimes edge or wrong. */
export const valueFor = (r: Random, c: CollectionModel, f: FieldModel, pWrong = 0.15): Drawn => {
  if (r.chance(pWrong)) {
    const wrong = WRONG[f.type] ?? [];
    if (wrong.length && r.chance(0.6)) return { value: r.pick(wrong), ok: false };
    return { value: r.pick(EDGE), ok: false };
  }
  const seen = fromRows(c, f.name);
  if (seen.length && r.chance(0.5)) return { value: r.pick(seen), ok: true };
  return { value: r.pick(VALID[f.type] ?? ['abc']), ok: true };
};

/** A key of the collection: an existing one, a missing one of the right type, or a wrong-typed one. */
export const keyFor = (r: Random, c: CollectionModel, pWrong = 0.15): Drawn & { existing: boolean } => {
  const keys = c.rows.map((row) => row[c.pk]);
  if (r.chance(pWrong)) {
    const wrong = c.pkType === 'integer' ? ['abc', 1.5, {}, true, '2x', -1] : c.pkType === 'uuid' ? ['not-a-uuid', 12, {}, ''] : [{}, 12, true, ''];
    return { value: r.pick(wrong), ok: false, existing: false };
  }
  if (keys.length && r.chance(0.8)) return { value: r.pick(keys), ok: true, existing: true };
  const missing = c.pkType === 'integer' ? 999 : c.pkType === 'uuid' ? '99999999-0000-4000-8000-000000000000' : 'ZZ';
  return { value: missing, ok: true, existing: false };
};
