// The one failure a fetch reports: which URI and why. The agent turns it into a failed task
// (TASK_FAILED with this message), so the message must tell a framework author what to fix.

export class FetchError extends Error {
  override readonly name = 'FetchError';
  readonly code = 'FETCH_FAILED';

  constructor(
    /** The CommandInfo.URI value exactly as the framework sent it. */
    readonly uri: string,
    /** Why it failed, e.g. "HTTP 404 Not Found" or "connect ECONNREFUSED 127.0.0.1:1234". */
    readonly reason: string,
  ) {
    super(`fetch of '${uri}' failed: ${reason}`);
  }
}

/** A failure inside one fetch step; the Fetcher wraps it into a FetchError naming the URI. */
export class FetchStepError extends Error {
  override readonly name = 'FetchStepError';
}
