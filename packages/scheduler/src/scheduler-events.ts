// The events a SchedulerClient delivers to its handlers, and the plain one-to-one mapping from Mesos events
// (SUBSCRIBED, UPDATE, UPDATE_OPERATION_STATUS and ERROR need the client's state and are handled by it).
import type { scheduler, v1 } from '@mesos-ts/proto';
import type { TypedEmitter } from '@mesos-ts/common';
import type { SchedulerError } from './errors.js';

export interface SubscribedInfo {
  frameworkId: string;
  heartbeatIntervalSeconds: number;
  masterInfo: v1.MasterInfo | undefined;
  /** `host:port` of the master that accepted the subscription. */
  master: string;
  /** True when this is not the client's first subscription (reconnect or failover). */
  resubscribed: boolean;
}

export interface SchedulerEvents {
  subscribed: [SubscribedInfo];
  offers: [v1.Offer[]];
  inverseOffers: [v1.InverseOffer[]];
  rescind: [v1.OfferID];
  rescindInverseOffer: [v1.OfferID];
  update: [v1.TaskStatus];
  operationUpdate: [v1.OperationStatus];
  message: [scheduler.Event.Message];
  failure: [scheduler.Event.Failure];
  heartbeat: [];
  /** The subscription ended; the client retries after `retryInMs`. */
  disconnected: [{ master: string | undefined; reason: string; retryInMs: number }];
  /** Fatal: the master sent ERROR or refused SUBSCRIBE with a 4xx. The client has stopped. */
  error: [SchedulerError];
  /** Every event as received, before the typed handlers. */
  event: [scheduler.Event];
}

/** Emits a stateless event to its handlers; false when the event type is not one of them. */
export async function deliverEvent(emitter: TypedEmitter<SchedulerEvents>, event: scheduler.Event): Promise<boolean> {
  switch (event.type) {
    case 'OFFERS':
      await emitter.emit('offers', event.offers?.offers ?? []);
      return true;
    case 'INVERSE_OFFERS':
      await emitter.emit('inverseOffers', event.inverse_offers?.inverse_offers ?? []);
      return true;
    case 'RESCIND':
      if (event.rescind !== undefined) await emitter.emit('rescind', event.rescind.offer_id);
      return true;
    case 'RESCIND_INVERSE_OFFER':
      if (event.rescind_inverse_offer !== undefined) await emitter.emit('rescindInverseOffer', event.rescind_inverse_offer.inverse_offer_id);
      return true;
    case 'MESSAGE':
      if (event.message !== undefined) await emitter.emit('message', event.message);
      return true;
    case 'FAILURE':
      if (event.failure !== undefined) await emitter.emit('failure', event.failure);
      return true;
    case 'HEARTBEAT':
      await emitter.emit('heartbeat');
      return true;
    default:
      return false;
  }
}
