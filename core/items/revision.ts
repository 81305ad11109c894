// Directus records a revision of every write it is asked for (a collection's `accountability` is
// 'all' unless changed): after the statement ran and the nested o2m writes are done, still inside
// the transaction, it reads the written values back through its payload service's processDates
// ("prepareDelta"). That reader calls Date methods on whatever it holds, so a date field given
// something no date comes from throws a plain TypeError or RangeError: the whole write rolls back
// and the request gets a 500 with the exception's words (no reply over WebSocket). A failing foreign
// key or unique value is refused earlier, by the statement itself.
import { Silent } from '../errors.ts';
import { parseIsoDate } from '../iso-date.ts';
import { DATE_TYPES, ZERO_DATE } from '../stored-value.ts';
import type { Collection, FieldType, JsonValue } from '../types.ts';
import type { Payload } from './tx.ts';

/** A Date processValues made of text: valid or not, it has every Date method. */
class ParsedDate {
  readonly valid: boolean;
  constructor(valid: boolean) {
    this.valid = valid;
  }
}

/**
 * What processDates' read branch throws for one value: `new Date(value)` for numbers and text (a
 * timestamp's `toISOString` throws on an invalid date; a date or dateTime prints NaN instead), and
 * any other truthy value has no Date methods at all.
 */
const readFailure = (type: FieldType, value: JsonValue | ParsedDate): string | undefined => {
  if (value instanceof ParsedDate) return type === 'timestamp' && !value.valid ? 'Invalid time value' : undefined;
  if (value === null || !value || (typeof value === 'string' && ZERO_DATE.test(value))) return undefined;
  if (typeof value === 'number' || typeof value === 'string') {
    return type === 'timestamp' && Number.isNaN(new Date(value).getTime()) ? 'Invalid time value' : undefined;
  }
  return type === 'timestamp' ? 'value.toISOString is not a function' : 'value.getFullYear is not a function';
};

/**
 * A value as the update's delta holds it: processValues("update") made text into a date-fns Date
 * (an invalid one for a timestamp it cannot parse; invalid date and dateTime text was refused
 * before the write) and objects and arrays into their JSON text.
 */
const updateForm = (type: FieldType, value: JsonValue): JsonValue | ParsedDate => {
  if (typeof value === 'string' && value && !ZERO_DATE.test(value)) return new ParsedDate(type !== 'timestamp' || !Number.isNaN(parseIsoDate(value)));
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
};

/**
 * The failure of Directus's revision of a write to `c`, if its date fields make one: a create reads
 * back the payload as given, an update the values as processed for the statement (`updated`).
 * Fields are read in the collection's field order; the first that throws is the answer.
 */
export const revisionFailure = (c: Collection, payload: Payload, updated: boolean): Silent | undefined => {
  for (const f of c.fieldOrder) {
    const field = c.fields[f]!;
    if (!DATE_TYPES.has(field.type) || !Object.hasOwn(payload, f)) continue;
    const value = payload[f]!;
    const failure = readFailure(field.type, updated ? updateForm(field.type, value) : value);
    if (failure) return new Silent(failure);
  }
  return undefined;
};
