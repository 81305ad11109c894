// The lines the command line prints once it listens, as json-server does: the file, each collection
// with its size, where to connect, who may do what.
import type { AuthMode, DataSummary } from '../core/index.ts';

export interface Banner {
  readonly version: string;
  readonly file: string;
  /** How the file is stored (e.g. "in memory: the file is never written"). */
  readonly storage: string;
  readonly summary: DataSummary;
  readonly authMode: AuthMode;
  readonly http: string;
  readonly ws: string;
}

const rows = (n: number) => `${n} ${n === 1 ? 'row' : 'rows'}`;

const AUTH: Record<AuthMode, string> = {
  public: 'public (a connection may send an auth message, or not)',
  handshake: 'handshake (a connection\'s first message must be {"type":"auth",…})',
  strict: 'strict (the token goes in the URL: ?access_token=…)',
};

export const bannerLines = (b: Banner): string[] => {
  const width = Math.max(0, ...b.summary.collections.map((c) => c.name.length));
  const collections = b.summary.collections.length === 0
    ? ['    (none yet: add a key holding an array, e.g. {"posts": []})']
    : b.summary.collections.map((c) => `    ${c.name.padEnd(width)}  ${c.singleton ? 'singleton' : rows(c.rows).padEnd(9)}  ${b.http}/items/${c.name}`);
  const access = b.summary.open
    ? [
      '  Access     open: the file has no directus_* records, so anyone may read and write everything.',
      '             To restrict it, add directus_users, roles, policies and permissions (README: "The data file").',
    ]
    : [`  Access     Directus permissions from the file's directus_* records${b.summary.adminTokens.length ? `; admin static token: ${b.summary.adminTokens[0]}` : ''}`];
  const hashed = b.summary.hashedPasswords;
  if (hashed > 0) {
    access.push(`  Passwords  ${hashed} ${hashed === 1 ? 'user has an argon2 hash' : 'users have argon2 hashes'} (as exported from Directus): a login checks it in seconds of CPU; plain-text passwords are instant`);
  }
  return [
    `standin ${b.version}`,
    '',
    `  Data       ${b.file} (${b.storage})`,
    '  Collections',
    ...collections,
    '',
    `  Home       ${b.http}/admin`,
    `  REST       ${b.http}`,
    `  WebSocket  ${b.ws}`,
    `  Auth       ${AUTH[b.authMode]}`,
    ...access,
    '',
  ];
};
