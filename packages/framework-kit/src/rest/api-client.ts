// The CLI side of a framework's REST API: where it is (`--api`, or an environment variable, kafka-mesos'
// KM_API style), and one JSON request with errors that say what to do.
import { KitError } from '../errors.js';

/** The API base URL from `--api` or `env[envVar]`; a clear error when neither is set. */
export function resolveApiUrl(flag: string | undefined, env: Readonly<Record<string, string | undefined>>, envVar: string): string {
  const value = flag ?? env[envVar];
  if (value === undefined || value === '') {
    throw new KitError('INVALID_ARGUMENT', `no API url: pass --api=http://host:port or set ${envVar}`);
  }
  let url: URL;
  try {
    url = new URL(value.includes('://') ? value : `http://${value}`);
  } catch {
    throw new KitError('INVALID_ARGUMENT', `invalid API url '${value}': expected e.g. http://master:7000`);
  }
  return url.toString().replace(/\/+$/, '');
}

/**
 * GET (or POST with a JSON body) `${api}${path}?params`; resolves with the parsed JSON answer. Error
 * answers (`{"error": "…"}` or text) and unreachable servers become KitError API_ERROR.
 */
export async function apiRequest(
  api: string,
  path: string,
  params: Readonly<Record<string, string | undefined>> = {},
  options: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<unknown> {
  const url = new URL(`${api.replace(/\/+$/, '')}${path}`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body), headers: { 'Content-Type': 'application/json' } }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new KitError('API_ERROR', `cannot reach the API at ${api} (${cause}); is the scheduler running and --api right?`, { cause: e });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    body = text.trim();
  }
  if (!response.ok) {
    const message = typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : String(body ?? response.statusText);
    throw new KitError('API_ERROR', `${message} (HTTP ${response.status} from ${url.pathname})`);
  }
  return body;
}
