import { describe, expect, it } from 'vitest';
import { memoryStringToMb, withOverhead } from './memory.js';
import { sparkJson } from './spark-json.js';
import { parseCreateRequest } from './submission.js';
import { driverTaskId, statusText, submissionId } from './driver.js';

const GOOD = {
  action: 'CreateSubmissionRequest',
  appArgs: ['10'],
  appResource: 'file:///tmp/pi.py',
  clientSparkVersion: '3.5.8',
  environmentVariables: { SPARK_LOCAL_IP: '127.0.0.1' },
  mainClass: '',
  sparkProperties: { 'spark.app.name': 'pi', 'spark.driver.memory': '512m', 'spark.driver.supervise': 'true' },
};

function withProps(props: Record<string, unknown>): string {
  return JSON.stringify({ ...GOOD, sparkProperties: { ...GOOD.sparkProperties, ...props } });
}

describe('parseCreateRequest', () => {
  it('accepts what spark-submit sends and reports unknown fields', () => {
    const r = parseCreateRequest(JSON.stringify({ ...GOOD, extra: 1 }));
    expect(r).toMatchObject({ ok: true, unknownFields: ['extra'], request: { appResource: 'file:///tmp/pi.py', appArgs: ['10'], mainClass: '' } });
  });

  it.each([
    ['missing appResource', JSON.stringify({ ...GOOD, appResource: undefined }), "'appResource' is missing in message CreateSubmissionRequest."],
    ['missing spark.app.name', JSON.stringify({ ...GOOD, sparkProperties: { 'spark.driver.memory': '1g' } }), "'spark.app.name' is missing in message CreateSubmissionRequest."],
    ['non-numeric cores', withProps({ 'spark.driver.cores': 'two' }), "Property 'spark.driver.cores' expected numeric value: actual was 'two'."],
    ['non-numeric cores.max', withProps({ 'spark.cores.max': 'lots' }), "Property 'spark.cores.max' expected numeric value: actual was 'lots'."],
    ['bad supervise', withProps({ 'spark.driver.supervise': 'yes' }), "Property 'spark.driver.supervise' expected boolean value: actual was 'yes'."],
    ['bad memory', withProps({ 'spark.executor.memory': '1.5g' }), "Property 'spark.executor.memory' expected memory value: actual was '1.5g'."],
    ['missing clientSparkVersion', JSON.stringify({ ...GOOD, clientSparkVersion: undefined }), "'clientSparkVersion' is missing"],
    ['no action', JSON.stringify({ appResource: 'x' }), 'SubmitRestMissingFieldException: Action field not found in JSON'],
    ['not JSON', '{"action": ', 'Malformed request: com.fasterxml.jackson.core.JsonParseException'],
    ['appArgs not a list', JSON.stringify({ ...GOOD, appArgs: 'x' }), 'MismatchedInputException'],
  ])('%s', (_name, body, text) => {
    const r = parseCreateRequest(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(text);
    if (!r.ok) expect(r.message).toMatch(/^Malformed request: /);
  });

  it('another message type is unexpected', () => {
    expect(parseCreateRequest(JSON.stringify({ action: 'KillSubmissionResponse' }))).toEqual({ ok: false, message: 'Received message of unexpected type KillSubmissionResponse.' });
  });

  it('coerces scalar properties to strings as Jackson does', () => {
    const r = parseCreateRequest(withProps({ 'spark.driver.cores': 2 }));
    expect(r.ok && r.request.sparkProperties['spark.driver.cores']).toBe('2');
  });
});

describe('spark json, memory, ids', () => {
  it('writes Jackson INDENT_OUTPUT with sorted keys and no undefined fields', () => {
    expect(sparkJson({ success: true, action: 'X', message: undefined, unknownFields: ['a', 'b'], m: {} })).toBe('{\n  "action" : "X",\n  "m" : { },\n  "success" : true,\n  "unknownFields" : [ "a", "b" ]\n}');
  });
  it.each([['512m', 512], ['1g', 1024], ['1048576', 1], ['2048k', 2], ['1.5g', undefined], ['12x', undefined]])('memory %s', (s, mb) => {
    expect(memoryStringToMb(s)).toBe(mb);
  });
  it('overhead is max(10%, 384)', () => {
    expect(withOverhead(512)).toBe(896);
    expect(withOverhead(8192)).toBe(8192 + 819);
    expect(withOverhead(512, 100)).toBe(612);
  });
  it('submission ids are driver-<yyyyMMddHHmmss>-<NNNN>, retries add -retry-<n>', () => {
    const id = submissionId(Date.UTC(2026, 11, 5, 9, 3, 7), 1);
    expect(id).toBe('driver-20261205090307-0001');
    expect(submissionId(0, 12345)).toBe('driver-19700101000000-12345');
    expect(driverTaskId(id, undefined)).toBe(id);
    expect(driverTaskId(id, { retries: 2, nextRetry: 0, waitTimeSec: 2, lastFailureStatus: { taskId: id, state: 'TASK_FAILED' } })).toBe(`${id}-retry-2`);
  });
  it('status messages render as Mesos TaskStatus text', () => {
    expect(statusText({ taskId: 't', state: 'TASK_RUNNING', agentId: 'a', message: 'ok' })).toBe('task_id {\n  value: "t"\n}\nstate: TASK_RUNNING\nmessage: "ok"\nslave_id {\n  value: "a"\n}\n');
  });
});
