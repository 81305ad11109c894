// jest with native ES modules (`node --experimental-vm-modules`), no transform.
import { expect, it } from '@jest/globals';
import { expected, scenario } from './scenario.mjs';

it('runs the SDK against standin/testing under jest', async () => {
  expect(await scenario()).toEqual(expected);
});
