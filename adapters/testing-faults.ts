// `failNext` / `delayNext` for standin/testing: a one-shot failure or delay for the next items
// operation, whichever transport carries it: an `items`/`subscribe` WebSocket message or a REST
// request to `/items/…`; and the messages and requests a delay holds back.
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

/** The one armed fault of a standin, and the messages and requests a delay holds back. */
export interface FaultInjector {
  arm(fault: Fault): void;
  disarm(): void;
  /**
   * A client's WebSocket message: when a fault is armed for it, the fault takes it (a delay runs it
   * later through `run`, a failure answers through `reply`) and this returns true.
   */
  intercept(text: string, run: () => void, reply: (frame: string) => void): boolean;
  /** `fetch` with the armed fault applied to the next `/items/…` request. */
  wrapFetch(fetch: typeof globalThis.fetch): typeof globalThis.fetch;
  /** Disarms; held messages are dropped, held requests go on (and fail on a closed standin). */
  close(): void;
}

export const createFaultInjector = (): FaultInjector => {
  let armed: Fault | undefined;
  /** Messages and requests held back by a delay: `close()` drops the messages and lets the requests go. */
  const held = new Map<ReturnType<typeof setTimeout>, () => void>();

  /** Holds `then` back by `ms` (or until `close()`, which calls `onClose` instead). */
  const hold = (ms: number, then: () => void, onClose: () => void = () => {}): void => {
    const t = setTimeout(() => {
      held.delete(t);
      then();
    }, ms);
    held.set(t, onClose);
  };

  return {
    arm(fault) {
      armed = fault;
    },
    disarm() {
      armed = undefined;
    },
    intercept(text, run, reply) {
      const message = armed && faultableMessage(text);
      if (!armed || !message) return false;
      const fault = armed;
      armed = undefined;
      if (fault.kind === 'delay') hold(fault.ms, run);
      else reply(failureFrame(fault, message));
      return true;
    },
    wrapFetch(fetch) {
      return async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        const fault = armed && isItemsRequest(url) ? armed : undefined;
        if (fault) armed = undefined;
        if (fault?.kind === 'fail') return failureResponse(fault);
        if (fault?.kind === 'delay') await new Promise<void>((resolve) => hold(fault.ms, resolve, resolve));
        return fetch(input, init);
      };
    },
    close() {
      for (const [t, dropped] of held) {
        clearTimeout(t);
        dropped();
      }
      held.clear();
      armed = undefined;
    },
  };
};
