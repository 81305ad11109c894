// `standin/broadcast-channel`: one tab or worker hosts the core (`hostStandin`), the others join it
// over a BroadcastChannel (`joinStandin`) with the Directus WebSocket protocol, and may keep a local
// mirror of the data. Browser-safe: nothing here or in core/ imports a Node built-in.
export { hostStandin, mirrorDoc, mirrorPatch, type Host, type HostOptions } from './broadcast-channel-host.ts';
export { joinStandin, type MirrorListener, type Peer, type PeerOptions } from './broadcast-channel-peer.ts';
export type { MirrorDoc } from './broadcast-channel-protocol.ts';
