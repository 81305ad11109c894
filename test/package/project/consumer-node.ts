// Type-checked by `tsc -p tsconfig.node.json` (TypeScript 5.x and 7): a Node consumer of every
// server-side entry point, under `tsc --init`'s strict defaults plus exactOptionalPropertyTypes and
// with standin's declarations checked too (skipLibCheck off).
import { createState, DirectusError, handle, signAccessToken, type Input, type Output, type State } from 'standin';
import { startServer, type RunningServer, type ServerOptions } from 'standin/server';
import { createStandin, type LoggedFrame, type Standin, type StandinOptions } from 'standin/testing';

const options: StandinOptions = { data: { posts: [{ id: 1, title: 'Hello' }] }, auth: 'public', seed: 1 };
const standin: Standin = createStandin(options);
const frames: LoggedFrame[] = standin.log;
const fetched: Promise<Response> = standin.fetch('http://standin.test/items/posts');
const socket: WebSocket = new standin.WebSocket('ws://standin.test/websocket');

const created = createState({ data: { posts: [] } });
if (created instanceof DirectusError) throw created;
const state: State = created;
const input: Input = { type: 'open', conn: 'c1', now: 0 };
const [next, replies] = handle(state, input);
const outputs: readonly Output[] = replies;
const token: string = signAccessToken({ id: 'u1', role: null, app_access: false, admin_access: false }, 'secret', Date.now(), 900_000);

const serverOptions: ServerOptions = { state: next, port: 0, host: '127.0.0.1' };
const server: Promise<RunningServer> = startServer(serverOptions);

export { fetched, frames, outputs, server, socket, token };
