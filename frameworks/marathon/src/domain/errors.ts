// Errors the launcher answers with Marathon's shapes: `{message}` for most, plus `details:[{path, errors}]`
// for 422 validation failures (Marathon's JSON-path error list), and the HTTP status Marathon uses.

export interface ErrorDetail {
  path: string;
  errors: string[];
}

export class MarathonError extends Error {
  override readonly name = 'MarathonError';
  constructor(
    readonly status: number,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }

  body(): { message: string; details?: ErrorDetail[] } {
    return this.details === undefined ? { message: this.message } : { message: this.message, details: this.details };
  }
}

export const invalid = (details: ErrorDetail[]): MarathonError => new MarathonError(422, 'Object is not valid', details);
export const notFound = (appId: string): MarathonError => new MarathonError(404, `App '${appId}' does not exist`);
export const locked = (deploymentIds: readonly string[]): MarathonError =>
  new MarathonError(409, `App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/<DEPLOYMENT_ID>'. Deployments: ${deploymentIds.join(', ')}`);
