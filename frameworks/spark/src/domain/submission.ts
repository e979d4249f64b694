// CreateSubmissionRequest as Spark's REST submission server reads it, pure: Jackson's mapping (scalars coerced to
// strings, unknown top-level fields ignored but reported back), then the message's validate() — action,
// clientSparkVersion, appResource, spark.app.name, and the typed properties. Failures carry the message Spark's
// servlet puts in its ErrorResponse ("Malformed request: <exception>"), with the cause where Spark prints its
// stack trace, so the client learns what was wrong.
import { memoryStringToMb } from './memory.js';

const PKG = 'org.apache.spark.deploy.rest';

export interface CreateSubmissionRequest {
  appResource: string;
  mainClass: string;
  appArgs: string[];
  sparkProperties: Record<string, string>;
  environmentVariables: Record<string, string>;
  clientSparkVersion: string;
}

export type ParsedCreate =
  | { ok: true; request: CreateSubmissionRequest; unknownFields: string[] }
  | { ok: false; message: string };

const CREATE_FIELDS = ['action', 'message', 'appResource', 'mainClass', 'appArgs', 'sparkProperties', 'environmentVariables', 'clientSparkVersion'];
/** Message classes of Spark's protocol other than the request this endpoint takes. */
const OTHER_MESSAGES = ['CreateSubmissionResponse', 'KillSubmissionResponse', 'SubmissionStatusResponse', 'ErrorResponse'];

class Malformed extends Error {}

function malformed(exception: string, cause?: string): Malformed {
  return new Malformed(`Malformed request: ${exception}${cause === undefined ? '' : `\n\tCaused by: ${cause}`}`);
}

function validationFailed(cause: string): Malformed {
  return malformed(`${PKG}.SubmitRestProtocolException: Validation of message CreateSubmissionRequest failed!`, cause);
}

function missing(name: string): Malformed {
  return validationFailed(`${PKG}.SubmitRestMissingFieldException: '${name}' is missing in message CreateSubmissionRequest.`);
}

/** Jackson reads a JSON scalar into a String field; objects and arrays do not map. */
function asString(v: unknown, field: string): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw malformed(`com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot deserialize value of type \`java.lang.String\` from ${Array.isArray(v) ? 'Array' : 'Object'} value (field '${field}')`);
}

function asStringMap(v: unknown, field: string): Record<string, string> | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw malformed(`com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot deserialize value of type \`scala.collection.immutable.Map\` from ${Array.isArray(v) ? 'Array' : typeof v} value (field '${field}')`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    const s = asString(x, `${field}.${k}`);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

function asStringArray(v: unknown, field: string): string[] | undefined {
  if (v === null || v === undefined) return undefined;
  if (!Array.isArray(v)) throw malformed(`com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot deserialize value of type \`java.lang.String[]\` from ${typeof v} value (field '${field}')`);
  return v.map((x, i) => asString(x, `${field}[${i}]`) ?? '');
}

/** Scala's String.toBoolean: `true`/`false`, any case. */
function isBoolean(s: string): boolean {
  return /^(true|false)$/i.test(s);
}

/** Java's Double.parseDouble, roughly: a decimal or exponent number, surrounding whitespace allowed. */
function isNumeric(s: string): boolean {
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?\s*$/.test(s) || /^\s*[+-]?(NaN|Infinity)\s*$/.test(s);
}

function checkProperty(props: Record<string, string>, key: string, type: string, ok: (s: string) => boolean): void {
  const value = props[key];
  if (value !== undefined && !ok(value)) throw validationFailed(`${PKG}.SubmitRestProtocolException: Property '${key}' expected ${type} value: actual was '${value}'.`);
}

/** Parses and validates the body of `POST /v1/submissions/create`. */
export function parseCreateRequest(body: string): ParsedCreate {
  try {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (e) {
      throw malformed(`com.fasterxml.jackson.core.JsonParseException: ${(e as Error).message}`);
    }
    const obj = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
    const action = obj === undefined || typeof obj.action !== 'string' ? undefined : obj.action;
    if (action === undefined) throw malformed(`${PKG}.SubmitRestMissingFieldException: Action field not found in JSON:\n${body}`);
    if (OTHER_MESSAGES.includes(action)) return { ok: false, message: `Received message of unexpected type ${action}.` };
    if (action !== 'CreateSubmissionRequest') throw malformed(`java.lang.ClassNotFoundException: ${PKG}.${action}`);
    const o = obj!;
    const sparkProperties = asStringMap(o.sparkProperties, 'sparkProperties');
    const environmentVariables = asStringMap(o.environmentVariables, 'environmentVariables') ?? {};
    const appArgs = asStringArray(o.appArgs, 'appArgs') ?? [];
    const appResource = asString(o.appResource, 'appResource');
    const mainClass = asString(o.mainClass, 'mainClass') ?? '';
    const clientSparkVersion = asString(o.clientSparkVersion, 'clientSparkVersion');
    asString(o.message, 'message');
    // validate(): the order of Spark's doValidate() chain.
    if (clientSparkVersion === undefined) throw missing('clientSparkVersion');
    if (sparkProperties === undefined) throw validationFailed('java.lang.AssertionError: assertion failed: No Spark properties set!');
    if (appResource === undefined) throw missing('appResource');
    if (sparkProperties['spark.app.name'] === undefined) throw missing('spark.app.name');
    checkProperty(sparkProperties, 'spark.driver.supervise', 'boolean', isBoolean);
    checkProperty(sparkProperties, 'spark.driver.cores', 'numeric', isNumeric);
    checkProperty(sparkProperties, 'spark.cores.max', 'numeric', isNumeric);
    checkProperty(sparkProperties, 'spark.driver.memory', 'memory', (s) => memoryStringToMb(s) !== undefined);
    checkProperty(sparkProperties, 'spark.executor.memory', 'memory', (s) => memoryStringToMb(s) !== undefined);
    const unknownFields = Object.keys(o).filter((k) => !CREATE_FIELDS.includes(k));
    return { ok: true, request: { appResource, mainClass, appArgs, sparkProperties, environmentVariables, clientSparkVersion }, unknownFields };
  } catch (e) {
    if (e instanceof Malformed) return { ok: false, message: e.message };
    throw e;
  }
}
