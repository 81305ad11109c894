// Runs inputs through the core for a server: holds the state, and hands each input's outputs on in
// input order, behind the storing of the change they follow (durable acknowledgements).
import { handle, type Input, type Output, type State } from '../core/index.ts';

export interface RunResult {
  readonly outputs: readonly Output[];
  /** False when storing the change failed: then its outputs were never applied. */
  readonly delivered: Promise<boolean>;
}

export interface CoreRunner {
  /** The current state (a value: safe to keep). */
  state(): State;
  /** Replaces the state outside any input. */
  update(change: (state: State) => State): void;
  /**
   * Runs one input; its outputs are applied at once when nothing is queued and nothing is stored,
   * else behind the store and every earlier queued input. `queue` holds them back at least one
   * microtask (an upgrade's socket is registered only after `open`).
   */
  run(input: Input, queue?: boolean): RunResult;
  /** Resolves once every queued output was applied (or dropped). */
  settled(): Promise<void>;
}

export interface CoreRunnerOptions {
  readonly state: State;
  /** Called after an input changed the data: resolve once the state is safely stored. */
  readonly persist?: (state: State) => Promise<void>;
  readonly apply: (output: Output) => void;
  /** Storing the change `input` made failed: none of its outputs is applied. */
  readonly storeFailed: (input: Input, error: unknown) => void;
}

const DELIVERED = Promise.resolve(true);

export const createCoreRunner = (options: CoreRunnerOptions): CoreRunner => {
  let state = options.state;
  let delivery: Promise<void> = Promise.resolve();
  /** Inputs whose outputs are queued (behind a store); while any are, later outputs queue behind them. */
  let queued = 0;

  const run = (input: Input, queue = false): RunResult => {
    const before = state;
    const [next, outputs] = handle(state, input);
    state = next;
    const stored = options.persist && next.data !== before.data ? options.persist(next) : undefined;
    if (stored === undefined && queued === 0 && !queue) {
      // Nothing is queued: apply now rather than a promise hop later (same order either way).
      outputs.forEach(options.apply);
      return { outputs, delivered: DELIVERED };
    }
    queued++;
    const delivered = delivery.then(() => stored).then(
      () => {
        outputs.forEach(options.apply);
        return true;
      },
      (error) => {
        options.storeFailed(input, error);
        return false;
      },
    ).finally(() => void queued--);
    delivery = delivered.then(() => undefined);
    return { outputs, delivered };
  };

  return {
    state: () => state,
    update: (change) => {
      state = change(state);
    },
    run,
    settled: () => delivery,
  };
};
