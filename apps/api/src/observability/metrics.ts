import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per server, so two servers in one test process do not share counters. */
export function createMetrics() {
  const registry = new Registry();
  // Includes nodejs_eventloop_lag_* (event-loop lag) and process memory/CPU.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by route group and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route group',
      labelNames: ['route'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30],
      registers: [registry],
    }),
    wsConnections: new Counter({
      name: 'ws_connections_total',
      help: 'WebSocket connections accepted',
      registers: [registry],
    }),
    wsRejected: new Counter({
      name: 'ws_upgrades_rejected_total',
      help: 'WebSocket upgrades refused, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    wsOpen: new Gauge({ name: 'ws_open_sockets', help: 'Open WebSocket connections', registers: [registry] }),
    wsMessagesIn: new Counter({
      name: 'ws_messages_received_total',
      help: 'WebSocket messages received',
      registers: [registry],
    }),
    wsSlowConsumersCut: new Counter({
      name: 'ws_slow_consumers_cut_total',
      help: 'WebSockets closed because the client stopped reading',
      registers: [registry],
    }),
    wsFastSends: new Counter({
      name: 'ws_fast_sends_total',
      help: 'messages.send calls on a WebSocket answered without tRPC\'s per-call machinery (realtime/send-fast-path.ts)',
      registers: [registry],
    }),
    wsSendSeconds: new Histogram({
      name: 'ws_send_seconds',
      help: 'messages.send on a WebSocket (realtime/send-fast-path.ts), from reading its frame to writing the answer',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    wsMessagesOut: new Counter({
      name: 'ws_messages_sent_total',
      help: 'WebSocket messages sent',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
