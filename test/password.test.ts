// Passwords as a real Directus stores them (argon2 in PHC form) log in; plain text stays accepted for
// fixtures. The hashes below were made by the `argon2` package (0.44.0) of the Directus 12.4 install
// in ../shared/oracle. A hash at Directus's own cost (64 MiB, 3 passes) takes seconds to check in pure
// JavaScript: `npm run bench` checks the admin's row from that Directus's database and times it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createState, handle, type Output, type State } from '../core/index.ts';
import { parseArgon2, passwordMatches } from '../core/access/password.ts';
import { NOW } from './driver.ts';

const VECTORS: readonly [hash: string, password: string][] = [
  ['$argon2id$v=19$m=1024,t=1,p=1$RRbGm3F94Xy2h9xognCMFg$fpU+HoPhgqRla76k5bnA5nvNSX0jXaF+p3wSE+/XgBM', 'admin'],
  ['$argon2id$v=19$m=2048,t=2,p=4$05Sx/GbPo4uN0vhvvMt/Gw$A881fy44Ocs3d73uwYR1TUgADCFsDzRCHUrE3A91nXo', 'pässwörd 🔑'],
  ['$argon2i$v=19$m=1024,t=2,p=1$y4i+FtqrusYt82NNcnenuw$QmAo8FEZvr2Qev29p2l449V0ekvvbFjfHw2TnujCe1M', 'reader'],
  ['$argon2d$v=19$m=1024,t=1,p=2$upQ/daHtPDqUZkwC57r4gw$+Keui63RtLfYxEHGRHyrUw', 'x'],
];

const stateWith = (password: string): State => {
  const state = createState({
    data: {
      posts: [],
      directus_users: [{ id: 'u1', email: 'admin@example.com', password, status: 'active', role: null }],
    },
    seed: 1,
  });
  if (!('connections' in state)) throw new Error(state.message);
  return state;
};

const restLogin = (state: State, password: string): number => {
  const [, outputs] = handle(state, {
    type: 'request', id: 'l', method: 'POST', path: '/auth/login', query: '', now: NOW,
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.com', password }),
  });
  return (outputs.find((o) => o.type === 'respond') as Extract<Output, { type: 'respond' }>).status;
};

describe('passwords', () => {
  it('verifies argon2id, argon2i and argon2d hashes made by the argon2 package, and refuses a wrong password', () => {
    for (const [hash, password] of VECTORS) {
      assert.equal(passwordMatches(hash, password), true, hash);
      assert.equal(passwordMatches(hash, `${password}!`), false, hash);
    }
  });

  it('accepts plain text, and never matches a malformed hash (not even by its own text)', () => {
    assert.equal(passwordMatches('admin', 'admin'), true);
    assert.equal(passwordMatches('admin', 'Admin'), false);
    assert.equal(passwordMatches(null, ''), false);
    for (const broken of ['$argon2id$v=19$m=1024,t=1$c2FsdHNhbHQ$aGFzaA', '$argon2id$v=19$m=99999999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g', '$argon2x$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g', '$argon2id$v=19$m=1024,t=1,p=1$!!!$aGFzaGhhc2g']) {
      assert.equal(parseArgon2(broken), undefined, broken);
      assert.equal(passwordMatches(broken, broken), false, broken);
    }
    assert.deepEqual(
      { ...parseArgon2(VECTORS[1]![0])!, salt: undefined, hash: parseArgon2(VECTORS[1]![0])!.hash.length },
      { variant: 'argon2id', version: 0x13, m: 2048, t: 2, p: 4, salt: undefined, hash: 32 },
    );
  });

  it('logs in over REST and WebSocket with a hashed password', () => {
    const state = stateWith(VECTORS[0]![0]);
    assert.equal(restLogin(state, 'admin'), 200);
    assert.equal(restLogin(state, 'wrong'), 401);
    const [opened] = handle(state, { type: 'open', conn: 'c', now: NOW });
    const [, outputs] = handle(opened, { type: 'message', conn: 'c', text: JSON.stringify({ type: 'auth', email: 'admin@example.com', password: 'admin' }), now: NOW });
    const reply = JSON.parse((outputs.find((o) => o.type === 'send') as Extract<Output, { type: 'send' }>).text);
    assert.equal(reply.status, 'ok');
  });
});
