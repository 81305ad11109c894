// Type-checked by `tsc -p tsconfig.browser.json`: the browser-safe entry points with no Node types
// at all (`types: []`, as `tsc --init` writes it).
import { createState, DirectusError, type Item, type State } from 'standin';
import { hostStandin, joinStandin, type Host, type MirrorDoc, type Peer } from 'standin/broadcast-channel';

const data = { posts: [{ id: 1, title: 'Hello' }] };
const created = createState({ data });
const state: State | DirectusError = created;
const host: Host = hostStandin('app', { data, mirror: true });
const peer: Peer = joinStandin('app', { mirror: true });
const socket: WebSocket = new peer.WebSocket('ws://standin.test/websocket');
const doc: MirrorDoc = peer.doc;
const post: Item | undefined = peer.item('posts', 1);

export { doc, host, post, socket, state };
