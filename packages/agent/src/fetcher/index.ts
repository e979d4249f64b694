// The agent's fetcher: CommandInfo.URIs into sandboxes, with a shared download cache.
export { Fetcher } from './fetcher.js';
export { FetchError } from './fetch-error.js';
