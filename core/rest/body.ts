// Request bodies as Express's JSON body parser (strict mode) reads them: only `application/json`
// bodies are parsed, anything else is an empty object; a JSON body must be an object or an array.
import { invalidPayload, type DirectusError } from '../errors.ts';
import { parseJson } from '../messages.ts';
import type { JsonValue } from '../types.ts';

const isJson = (contentType: string | undefined): boolean =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';

/** The parsed body (`{}` when there is none or it is not JSON), or the 400 body-parser answers. */
export const parseBody = (contentType: string | undefined, text: string | undefined): JsonValue | DirectusError => {
  if (!isJson(contentType) || text === undefined || text === '') return {};
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
