import amqplib from 'amqplib';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collect, eventBusContract } from '../../../test/contracts/event-bus.contract.ts';
import { SERVICES, describeWithServices, uniqueName } from '../../../test/services.ts';
import { proxyInFrontOf, throughProxy } from '../../../test/tcp-proxy.ts';
import type { EventBus } from '../../ports/event-bus.ts';
import { createRabbitMqEventBus } from './rabbitmq-event-bus.ts';
import { until } from '../../../test/wait.ts';

const logger = pino({ level: 'silent' });

await describeWithServices('RabbitMQ event bus', ['rabbitmq'], () => {
  const exchange = uniqueName('yc_test');
  let a: EventBus;
  let b: EventBus;

  beforeAll(async () => {
    a = createRabbitMqEventBus({ url: SERVICES.rabbitmq, exchange, instanceId: 'a', logger });
    b = createRabbitMqEventBus({ url: SERVICES.rabbitmq, exchange, instanceId: 'b', logger });
    await until(async () => (await Promise.allSettled([a.check(), b.check()])).every((r) => r.status === 'fulfilled'), 10_000);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    const connection = await amqplib.connect(SERVICES.rabbitmq);
    const channel = await connection.createChannel();
    await channel.deleteExchange(exchange);
    await connection.close();
  });

  eventBusContract(() => [a, b]);

  it('after a broker outage: reports a gap, redeclares its queue and relays again, with no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const proxy = await proxyInFrontOf(SERVICES.rabbitmq);
    const viaProxy = throughProxy(SERVICES.rabbitmq, proxy);
    const flaky = createRabbitMqEventBus({
      url: viaProxy,
      exchange,
      instanceId: 'flaky',
      logger,
      heartbeatSeconds: 1,
      reconnectSeconds: 0.2,
      publishTimeoutMs: 500,
    });
    try {
      let gaps = 0;
      flaky.onGap(() => gaps++);
      await until(async () => (await flaky.check().then(() => true, () => false)), 10_000);
      const sink = collect(flaky);

      proxy.cut();
      await until(async () => (await flaky.check().then(() => false, () => true)), 10_000);
      // Published by another instance while this one is cut off: lost to it, hence the gap report.
      await a.publish({ type: 'during-outage' });
      // A publish from the cut-off instance fails within its timeout instead of buffering forever.
      await expect(flaky.publish({ type: 'from-cut-off' })).rejects.toThrow();

      proxy.restore();
      await until(() => gaps === 1, 10_000);
      await a.publish({ type: 'after-outage' });
      await sink.waitFor(1);
      expect(sink.received.map((m) => m.type)).toEqual(['after-outage']);
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      await flaky.close();
      await proxy.close();
    }
  });

  it('check() rejects while the broker cannot be reached', async () => {
    const unreachable = createRabbitMqEventBus({
      url: 'amqp://guest:guest@127.0.0.1:1',
      exchange,
      instanceId: 'unreachable',
      logger,
    });
    await expect(unreachable.check()).rejects.toThrow();
    await unreachable.close();
  });
});
