// Non-SUBSCRIBE scheduler calls, checked in upstream's order (Http::scheduler): framework known (400),
// subscribed (403), Mesos-Stream-Id present and current (400), then the call's own fields (400).
// Success is 202 with no body; UPDATE_FRAMEWORK and RECONCILE_OPERATIONS answer 200.
import type { scheduler } from '@mesos-ts/proto';
import { MasterError } from '../core/errors.js';
import type { FrameworkRecord } from '../core/state.js';
import { accept } from './accept.js';
import { removeFramework, updateFramework } from './frameworks.js';
import type { MasterContext as Master } from './context.js';
import { decline, revive, suppress } from './offers.js';
import { answerInverseOffers } from './maintenance.js';
import { acknowledge, frameworkMessage, kill, reconcile, shutdownExecutor } from './tasks.js';

export type SchedulerCallResult = { status: 202 } | { status: 200; response?: scheduler.Response };

function need<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new MasterError('INVALID_CALL', `Expecting '${field}' to be present`);
  return value;
}

/** The framework a call is for, with upstream's checks on subscription and stream id. */
export function callingFramework(m: Master, call: scheduler.Call, streamId: string | undefined): FrameworkRecord {
  const id = need(call.framework_id, 'framework_id').value;
  const fw = m.books.frameworks.get(id);
  if (!fw) throw new MasterError('UNKNOWN_FRAMEWORK', 'Framework cannot be found');
  if (!fw.connected) throw new MasterError('NOT_SUBSCRIBED', 'Framework is not subscribed');
  if (streamId === undefined) throw new MasterError('INVALID_CALL', "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
  if (streamId !== fw.streamId) {
    throw new MasterError('INVALID_CALL', `The stream ID '${streamId}' included in this request didn't match the stream ID currently associated with framework ID ${id}`);
  }
  return fw;
}

export function handleSchedulerCall(m: Master, call: scheduler.Call, streamId: string | undefined): SchedulerCallResult {
  if (call.type === undefined || call.type === 'UNKNOWN') throw new MasterError('INVALID_CALL', "Expecting 'type' to be present");
  if (call.type === 'SUBSCRIBE') throw new MasterError('INVALID_CALL', 'SUBSCRIBE opens a stream; it is handled before other calls');
  const fw = callingFramework(m, call, streamId);
  switch (call.type) {
    case 'TEARDOWN':
      removeFramework(m, fw, 'the framework asked for TEARDOWN');
      return { status: 202 };
    case 'ACCEPT':
      accept(m, fw, need(call.accept, 'accept'));
      return { status: 202 };
    case 'DECLINE': {
      const d = need(call.decline, 'decline');
      decline(m, fw, d.offer_ids ?? [], d.filters);
      return { status: 202 };
    }
    case 'REVIVE':
      revive(m, fw, call.revive?.roles ?? []);
      return { status: 202 };
    case 'SUPPRESS':
      suppress(m, fw, call.suppress?.roles ?? []);
      return { status: 202 };
    case 'KILL':
      kill(m, fw, need(call.kill, 'kill'));
      return { status: 202 };
    case 'SHUTDOWN':
      shutdownExecutor(m, fw, need(call.shutdown, 'shutdown'));
      return { status: 202 };
    case 'ACKNOWLEDGE': {
      const ack = need(call.acknowledge, 'acknowledge');
      if (ack.uuid.length !== 16) throw new MasterError('INVALID_CALL', `'acknowledge.uuid' must be the 16-byte uuid of the status update, got ${ack.uuid.length} bytes`);
      acknowledge(m, fw, ack);
      return { status: 202 };
    }
    case 'RECONCILE':
      reconcile(m, fw, need(call.reconcile, 'reconcile').tasks ?? []);
      return { status: 202 };
    case 'MESSAGE':
      frameworkMessage(m, fw, need(call.message, 'message'));
      return { status: 202 };
    case 'REQUEST':
      // Deprecated upstream; the hierarchical allocator ignores resource requests.
      need(call.request, 'request');
      return { status: 202 };
    case 'UPDATE_FRAMEWORK':
      updateFramework(m, fw, need(call.update_framework, 'update_framework'));
      return { status: 200 };
    case 'ACCEPT_INVERSE_OFFERS':
      answerInverseOffers(m, fw, need(call.accept_inverse_offers, 'accept_inverse_offers'), 'ACCEPT');
      return { status: 202 };
    case 'DECLINE_INVERSE_OFFERS':
      answerInverseOffers(m, fw, need(call.decline_inverse_offers, 'decline_inverse_offers'), 'DECLINE');
      return { status: 202 };
    case 'ACKNOWLEDGE_OPERATION_STATUS':
      // No operation feedback yet: nothing is outstanding to act on.
      return { status: 202 };
    case 'RECONCILE_OPERATIONS':
      return { status: 200, response: { type: 'RECONCILE_OPERATIONS', reconcile_operations: { operation_statuses: [] } } };
  }
}
