import amqp, { type ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { BusHandler, BusMessage, EventBus } from '../../ports/event-bus.ts';

export interface RabbitMqEventBusOptions {
  url: string;
  /** Fanout exchange shared by all instances; tests use their own name to stay isolated. */
  exchange: string;
  instanceId: string;
  logger: Logger;
  heartbeatSeconds?: number;
  reconnectSeconds?: number;
  /** A publish the broker has not confirmed by then fails: clients catch up from the database instead. */
  publishTimeoutMs?: number;
}

/**
 * RabbitMQ fan-out: one fanout exchange, one exclusive queue per instance. amqp-connection-manager
 * reconnects and re-runs `setup` (so the topology is redeclared); the exclusive queue dies with the
 * connection, so every reconnect is reported as a gap.
 */
export function createRabbitMqEventBus(options: RabbitMqEventBusOptions): EventBus {
  const { exchange, logger } = options;
  const queue = `${exchange}.instance.${options.instanceId}`;
  const handlers = new Set<BusHandler>();
  const gapListeners = new Set<() => void>();
  let everConnected = false;

  const connection = amqp.connect([options.url], {
    heartbeatIntervalInSeconds: options.heartbeatSeconds ?? 5,
    reconnectTimeInSeconds: options.reconnectSeconds ?? 1,
    // amqplib leaves Nagle's algorithm on: a small publish then waits for the previous one's ACK, which the broker
    // delays by up to 40 ms. Live events are small and latency is the point.
    connectionOptions: { noDelay: true },
  });
  connection.on('disconnect', ({ err }) => logger.warn({ err: err?.message }, 'rabbitmq disconnected'));
  connection.on('connectFailed', ({ err }) => logger.warn({ err: err?.message }, 'rabbitmq connect failed'));

  const onMessage = (msg: ConsumeMessage | null) => {
    if (!msg) return; // the broker cancelled the consumer; setup runs again on reconnect
    let message: BusMessage;
    try {
      message = JSON.parse(msg.content.toString('utf8')) as BusMessage;
    } catch {
      logger.error('rabbitmq: dropped a message that is not JSON');
      return;
    }
    for (const handler of handlers) handler(message);
  };

  const channel: ChannelWrapper = connection.createChannel({
    name: 'event-bus',
    publishTimeout: options.publishTimeoutMs ?? 5_000,
    setup: async (ch: Channel) => {
      await ch.assertExchange(exchange, 'fanout', { durable: true });
      await ch.assertQueue(queue, {
        exclusive: true,
        autoDelete: true,
        // A stalled instance must not grow the broker without bound; stale live events are worthless anyway.
        arguments: { 'x-message-ttl': 60_000, 'x-max-length': 100_000, 'x-overflow': 'drop-head' },
      });
      await ch.bindQueue(queue, exchange, '');
      await ch.consume(queue, onMessage, { noAck: true });
    },
  });
  channel.on('connect', () => {
    if (everConnected) {
      logger.warn('rabbitmq reconnected: live events may have been missed');
      for (const listener of gapListeners) listener();
    }
    everConnected = true;
  });
  channel.on('error', (err: Error) => logger.error({ err: err.message }, 'rabbitmq channel error'));

  return {
    name: 'eventBus',
    kind: 'rabbitmq',
    async publish(message) {
      await channel.publish(exchange, '', Buffer.from(JSON.stringify(message)), {
        contentType: 'application/json',
        persistent: false,
      });
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    onGap(listener) {
      gapListeners.add(listener);
      return () => gapListeners.delete(listener);
    },
    /** Resolves once this instance's queue is consuming, so nothing published afterwards is missed. */
    async check() {
      if (!connection.isConnected()) throw new Error('not connected to RabbitMQ');
      await channel.waitForConnect();
    },
    async close() {
      handlers.clear();
      gapListeners.clear();
      await channel.close();
      await connection.close();
    },
  };
}
