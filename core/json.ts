// The one check for "a JSON object" (not null, not an array) that decoding, payloads and queries share.
import type { JsonValue } from './types.ts';

export const isJsonObject = (v: unknown): v is Record<string, JsonValue> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
