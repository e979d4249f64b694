// kafka-mesos stickiness: a member started again within `period` of its stop goes back to the host it last
// ran on (its data is there); after the period any host will do. Pure, times in ms.

export interface StickinessState {
  /** Host of the last successful start. */
  hostname: string | undefined;
  /** When the member last stopped; undefined while running or never stopped. */
  stopTime: number | undefined;
}

export const NOT_STICKY: StickinessState = { hostname: undefined, stopTime: undefined };

export function stickyStarted(hostname: string): StickinessState {
  return { hostname, stopTime: undefined };
}

export function stickyStopped(state: StickinessState, now: number): StickinessState {
  return state.stopTime === undefined ? { ...state, stopTime: now } : state;
}

/** When the stickiness lapses (ms), shown as `expires:` after a stop; undefined while running/unbound. */
export function stickinessExpires(periodMs: number, state: StickinessState): number | undefined {
  return state.hostname === undefined || state.stopTime === undefined ? undefined : state.stopTime + periodMs;
}

/** Whether the member may start on `hostname` now. */
export function allowsHostname(periodMs: number, state: StickinessState, hostname: string, now: number): boolean {
  if (state.hostname === undefined || state.stopTime === undefined) return true;
  if (now - state.stopTime >= periodMs) return true;
  return state.hostname === hostname;
}
