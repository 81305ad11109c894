// The timers the core asks for (`timer` / `cancel-timer` outputs), for any adapter: one pending
// timer per key; when it fires, the adapter feeds `{type:'timer', key}` back to the core.
import type { Output } from '../core/index.ts';

export interface TimerTable {
  /** Applies a `timer` or `cancel-timer` output; other outputs are ignored. */
  apply(output: Output): void;
  /** Cancels every pending timer. */
  clear(): void;
}

export const createTimerTable = (fire: (key: string) => void, options: { unref?: boolean } = {}): TimerTable => {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const cancel = (key: string) => {
    clearTimeout(timers.get(key));
    timers.delete(key);
  };
  return {
    apply(output) {
      if (output.type === 'cancel-timer') cancel(output.key);
      if (output.type !== 'timer') return;
      cancel(output.key);
      const timer = setTimeout(() => {
        timers.delete(output.key);
        fire(output.key);
      }, output.delay);
      // In-process fakes must never keep a test process alive.
      if (options.unref) (timer as { unref?: () => void }).unref?.();
      timers.set(output.key, timer);
    },
    clear() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
};
