// Plain `node --test`, no loader: standin/testing as compiled JavaScript.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { expected, scenario } from './scenario.mjs';

it('runs the SDK against standin/testing under node --test', async () => {
  assert.deepEqual(await scenario(), expected);
});
