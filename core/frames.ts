// Reply frames as Directus formats them: `type` first, the body, then `uid` last (when sent).
import type { ConnectionId, JsonValue, Output } from './types.ts';

export const frame = (type: string, body: Record<string, JsonValue | undefined>, uid?: string | number): string => {
  const out: Record<string, JsonValue> = { type };
  for (const [k, v] of Object.entries(body)) if (v !== undefined) out[k] = v;
  if (uid !== undefined) out['uid'] = uid;
  return JSON.stringify(out);
};

export const send = (conn: ConnectionId, text: string): Output => ({ type: 'send', conn, text });
