// vitest (3.x runs on Node 20), from a TypeScript test file.
import { expect, it } from 'vitest';
import { createStandin, type Standin } from 'standin/testing';
import { expected, scenario } from './scenario.mjs';

it('runs the SDK against standin/testing under vitest', async () => {
  expect(await scenario()).toEqual(expected);
});

it('types createStandin', () => {
  const standin: Standin = createStandin({ data: { posts: [] } });
  expect(standin.snapshot()).toBeDefined();
  standin.close();
});
