// The CLI side of a framework's REST API: where it is (`--api`, or an environment variable, kafka-mesos'
// KM_API style), and one JSON request with errors that say what to do.
import { KitError } from '../errors.js';
import { requestText, type TextResponse } from './tls-client.js';

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
  let response: TextResponse;
  try {
    // HTTPS as wire's client speaks it (tls-client.ts): verified against LIBPROCESS_SSL_CA_FILE.
    response = await requestText(url, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body), headers: { 'Content-Type': 'application/json' } }),
      timeoutMs: options.timeoutMs ?? 60_000,
    });
  } catch (e) {
    const cause = (e as { code?: string }).code ?? (e as Error).message;
    throw new KitError('API_ERROR', `cannot reach the API at ${api} (${cause}); is the scheduler running and --api right?${/CERT|SIGNATURE|SSL|TLS|EPROTO/i.test(cause) ? ' Over HTTPS, LIBPROCESS_SSL_CA_FILE must name the CA that signed its certificate.' : ''}`, { cause: e });
  }
  const text = response.text;
  let body: unknown;
  try {
    body = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    body = text.trim();
  }
  if (response.status < 200 || response.status > 299) {
    const message = typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : String(body ?? response.statusText);
    throw new KitError('API_ERROR', `${message} (HTTP ${response.status} from ${url.pathname})`);
  }
  return body;
}
