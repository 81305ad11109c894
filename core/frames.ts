// Reply frames as Directus formats them: `type` first, the body, then `uid` last (when sent).
import type { ConnectionId, JsonValue, Output } from './types.ts';

// Written member by member, as JSON.stringify of `{ type, ...body, uid }` would write it, without
// building that object first: every reply and event goes through here. `type` and `uid` are the
// frame's own members; a body never holds them.
export const frame = (type: string, body: Record<string, JsonValue | undefined>, uid?: string | number): string => {
  let text = `{"type":${JSON.stringify(type)}`;
  for (const key in body) {
    if (!Object.hasOwn(body, key) || key === 'type' || key === 'uid') continue;
    const value = JSON.stringify(body[key]);
    // undefined (and functions) have no JSON: the member is left out, as JSON.stringify leaves it.
    if (value !== undefined) text += `,${JSON.stringify(key)}:${value}`;
  }
  if (uid !== undefined) text += `,"uid":${JSON.stringify(uid)}`;
  return `${text}}`;
};

export const send = (conn: ConnectionId, text: string): Output => ({ type: 'send', conn, text });
