// The messages a standin host and its peers exchange over one BroadcastChannel. Everything here is
// structured-cloneable and runs in browsers, workers and Node alike (no Node-only imports).
import type { Item } from '../core/index.ts';
import type { Operation } from 'fast-json-patch';

/** The mirrored data: each user collection's rows keyed by primary key (as a string). */
export type MirrorDoc = Record<string, Record<string, Item>>;

/** Peer → host. `conn` ids are chosen by the peer and unique across peers. */
export type ToHost =
  | { readonly standin: 1; readonly t: 'open'; readonly conn: string; readonly query: string }
  | { readonly standin: 1; readonly t: 'message'; readonly conn: string; readonly text: string }
  | { readonly standin: 1; readonly t: 'close'; readonly conn: string }
  /** A mirroring peer asks for the whole document (it joined late, or missed a patch). */
  | { readonly standin: 1; readonly t: 'sync'; readonly peer: string };

/** Host → peers. Each peer picks out its own connections. No `t` is used in both directions. */
export type FromHost =
  /** A host started: peers resend what it cannot have seen (pending opens, sync requests). */
  | { readonly standin: 1; readonly t: 'hello' }
  /** The host stopped: every connection is gone. */
  | { readonly standin: 1; readonly t: 'bye' }
  | { readonly standin: 1; readonly t: 'opened'; readonly conn: string }
  | { readonly standin: 1; readonly t: 'refused'; readonly conn: string; readonly status: number }
  | { readonly standin: 1; readonly t: 'send'; readonly conn: string; readonly text: string }
  | { readonly standin: 1; readonly t: 'closed'; readonly conn: string }
  /** The whole document at `version`: for one peer that asked, or (peer null) for all after a reset. */
  | { readonly standin: 1; readonly t: 'snapshot'; readonly peer: string | null; readonly version: number; readonly doc: MirrorDoc }
  /** One change, as RFC 6902 operations on the document at `version - 1`. */
  | { readonly standin: 1; readonly t: 'patch'; readonly version: number; readonly ops: readonly Operation[] }
  | { readonly standin: 1; readonly t: 'no-mirror'; readonly peer: string };

export type Envelope = ToHost | FromHost;

export const isEnvelope = (value: unknown): value is Envelope =>
  typeof value === 'object' && value !== null && (value as { standin?: unknown }).standin === 1 &&
  typeof (value as { t?: unknown }).t === 'string';

/** A short random id (not a secret): `crypto.randomUUID` needs a secure context in browsers. */
export const randomId = (): string => Math.random().toString(36).slice(2, 10) + Date.now().toString(36).slice(-4);
