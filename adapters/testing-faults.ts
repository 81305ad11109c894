// `failNext` / `delayNext` for standin/testing: a one-shot failure or delay for the next items
// operation, whichever transport carries it: an `items`/`subscribe` WebSocket message or a REST
// request to `/items/…`.
import { DirectusError, errorBody, type ErrorCode } from '../core/index.ts';

export type Fault =
  | { readonly kind: 'fail'; readonly code: string; readonly message: string }
  | { readonly kind: 'delay'; readonly ms: number };

/** The `type` and `uid` of a WebSocket message that a fault applies to, or undefined. */
export const faultableMessage = (text: string): { type: string; uid: unknown } | undefined => {
  let message: { type?: unknown; uid?: unknown };
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  return message?.type === 'items' || message?.type === 'subscribe' ? { type: message.type, uid: message.uid } : undefined;
};

/** Whether a REST request is an items operation (the SDK's readItems, createItem, …). */
export const isItemsRequest = (url: string): boolean => /^\/items\//.test(new URL(url, 'http://standin.invalid').pathname);

/** The error frame a failed WebSocket message gets, as Directus words an error reply. */
export const failureFrame = (fault: Extract<Fault, { kind: 'fail' }>, message: { type: string; uid: unknown }): string => {
  const body: Record<string, unknown> = { type: message.type, status: 'error', error: { code: fault.code, message: fault.message } };
  if (typeof message.uid === 'string' || typeof message.uid === 'number') body['uid'] = message.uid;
  return JSON.stringify(body);
};

/** The HTTP error a failed REST request gets: Directus's status for the code (500 for codes it lacks). */
export const failureResponse = (fault: Extract<Fault, { kind: 'fail' }>): Response => {
  const error = new DirectusError(fault.code as ErrorCode, fault.message);
  return new Response(errorBody(error), {
    status: error.status ?? 500,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
};
