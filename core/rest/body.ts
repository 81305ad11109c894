// Request bodies as Express's JSON body parser (strict mode) reads them: only `application/json`
// bodies are parsed, anything else is an empty object; a JSON body must be an object or an array,
// and no longer than MAX_PAYLOAD_SIZE bytes.
import { invalidPayload, type DirectusError } from '../errors.ts';
import { parseJson } from '../messages.ts';
import type { JsonValue } from '../types.ts';

const isJson = (contentType: string | undefined): boolean =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';

/** body-parser's words for a body over the limit, which Directus wraps in INVALID_PAYLOAD. */
const TOO_LARGE = invalidPayload('request entity too large');

/** Whether `text` takes more than `limit` bytes as UTF-8 (a UTF-16 unit is 1 to 3 bytes, a pair 4). */
const longerThan = (text: string, limit: number): boolean => {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes > limit;
};

/**
 * The parsed body (`{}` when there is none or it is not JSON), or the 400 body-parser answers.
 * `tooLarge`: the transport stopped reading a body past `limit` bytes.
 */
export const parseBody = (contentType: string | undefined, text: string | undefined, limit: number, tooLarge = false): JsonValue | DirectusError => {
  if (!isJson(contentType)) return {};
  if (tooLarge || (text !== undefined && longerThan(text, limit))) return TOO_LARGE;
  if (text === undefined || text === '') return {};
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') {
    // body-parser's strict-mode wording, modelled on JSON.parse's.
    return invalidPayload(first === undefined ? 'Unexpected end of JSON input' : `Unexpected token '${first}', "${text}" is not valid JSON`);
  }
  const parsed = parseJson(text);
  if (parsed) return parsed.value;
  try {
    JSON.parse(text);
    return invalidPayload('Invalid JSON');
  } catch (error) {
    return invalidPayload((error as Error).message);
  }
};
