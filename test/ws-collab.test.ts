// `collab` messages: collaborative editing is off by default in Directus 12.4, which answers every such
// message with one error frame and closes the socket 250 ms later. Frames probed against Directus 12.4
// (tools/differential/probe.ts), as admin and as public.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Driver, fixtureState, NOW } from './driver.ts';

const DISABLED = 'Service "collab" is unavailable. Collaborative editing is disabled.';

describe('collab messages', () => {
  it('are answered SERVICE_UNAVAILABLE (no uid, no trigger without an action) and the socket closes 250 ms later', () => {
    const d = new Driver(fixtureState()).admin();
    const outputs = d.send('A', { type: 'collab', uid: 'k1' });
    assert.deepEqual(outputs, [
      { type: 'send', conn: 'A', text: JSON.stringify({ action: 'error', type: 'collab', code: 'SERVICE_UNAVAILABLE', message: DISABLED }) },
      { type: 'timer', key: 'collab:A', delay: 250 },
    ]);
    // Until then the connection is served as before.
    assert.deepEqual(d.reply('A', { type: 'ping', uid: 'p' }), { type: 'pong', uid: 'p' });
    assert.deepEqual(d.input({ type: 'timer', key: 'collab:A', now: NOW + 250 }).filter((o) => o.type === 'close'), [{ type: 'close', conn: 'A' }]);
    assert.deepEqual(d.frames('A', { type: 'ping', uid: 'gone' }), []);
  });

  it('carry the message action back as `trigger`, whatever its type', () => {
    const d = new Driver(fixtureState({ authMode: 'public' }));
    d.open('P');
    assert.deepEqual(d.reply('P', { type: 'collab', action: 5 }),
      { action: 'error', type: 'collab', code: 'SERVICE_UNAVAILABLE', trigger: 5, message: DISABLED });
    assert.deepEqual(d.reply('P', { type: 'collab', action: 'join' }),
      { action: 'error', type: 'collab', code: 'SERVICE_UNAVAILABLE', trigger: 'join', message: DISABLED });
  });
});
