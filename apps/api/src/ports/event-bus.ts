import type { AdapterKinds } from '@youngchat/shared';
import type { Dependency } from './dependency.ts';

/** A message relayed to every API instance (including the one that published it). */
export interface BusMessage {
  readonly type: string;
  readonly [field: string]: unknown;
}

export type BusHandler = (message: BusMessage) => void;

/**
 * At-most-once fan-out between API instances. The database stays the system of record:
 * a subscriber that may have missed messages is told so through `onGap` and catches up from there.
 */
export interface EventBus extends Dependency {
  readonly kind: AdapterKinds['eventBus'];
  /** Resolves once the message is handed to the transport (for RabbitMQ: confirmed by the broker). */
  publish(message: BusMessage): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(handler: BusHandler): () => void;
  /** Called after any interval in which messages may have been lost (e.g. a broker reconnect). */
  onGap(listener: () => void): () => void;
}
