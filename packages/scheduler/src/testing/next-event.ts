// Awaiting one client event in tests, with a deadline so a missing event fails the test instead of hanging it.
import type { SchedulerClient } from '../scheduler-client.js';
import type { SchedulerEvents } from '../scheduler-events.js';

/** The arguments of the next `event` of `client` that satisfies `pred`; rejects after `timeoutMs`. */
export function nextEvent<K extends keyof SchedulerEvents>(
  client: SchedulerClient,
  event: K,
  pred: (...args: SchedulerEvents[K]) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<SchedulerEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for '${String(event)}'`));
    }, timeoutMs);
    const off = client.on(event, (...args) => {
      if (!pred(...args)) return;
      clearTimeout(timer);
      off();
      resolve(args);
    });
  });
}
