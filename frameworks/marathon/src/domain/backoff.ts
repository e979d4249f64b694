// Launch backoff after failed tasks (Marathon: backoffSeconds, grown by backoffFactor per failure, up to
// maxLaunchDelaySeconds; reset by a new app version). Pure: times are ms since the epoch, passed in.
import type { AppDefinition } from './app.js';

export interface Backoff {
  /** Current delay in ms (0 = none yet). */
  delayMs: number;
  /** No launch before this time. */
  notBefore: number;
}

export const NO_BACKOFF: Backoff = { delayMs: 0, notBefore: 0 };

export function afterFailure(app: Pick<AppDefinition, 'backoffSeconds' | 'backoffFactor' | 'maxLaunchDelaySeconds'>, b: Backoff, now: number): Backoff {
  const next = b.delayMs === 0 ? app.backoffSeconds * 1000 : b.delayMs * app.backoffFactor;
  const delayMs = Math.min(next, app.maxLaunchDelaySeconds * 1000);
  return { delayMs, notBefore: now + delayMs };
}
