import { z } from 'zod';
import { LIMITS } from '../limits.ts';

/** Resume position of a tracked subscription: the id of the last event the client has. */
export const lastEventIdSchema = z.string().max(64).nullish();

export const systemTicksInput = z.object({
  lastEventId: lastEventIdSchema,
  intervalMs: z
    .number()
    .int()
    .min(LIMITS.ticks.minIntervalMs)
    .max(LIMITS.ticks.maxIntervalMs)
    .default(1000),
  /** Stop after this tick number; unset means tick until the client leaves. */
  until: z.number().int().min(1).max(LIMITS.ticks.maxCount).optional(),
});
export type SystemTicksInput = z.input<typeof systemTicksInput>;
export type SystemTicksParams = z.output<typeof systemTicksInput>;

export const ADAPTER_KINDS = {
  database: ['pglite', 'postgres'],
  keyValue: ['sql', 'redis'],
  eventBus: ['in-process', 'rabbitmq'],
  mailer: ['console', 'smtp'],
  blobStore: ['disk', 's3'],
} as const;

export type AdapterKinds = { [K in keyof typeof ADAPTER_KINDS]: (typeof ADAPTER_KINDS)[K][number] };

export interface SystemInfo {
  name: string;
  version: string;
  instanceId: string;
  adapters: AdapterKinds;
  serverTime: string;
}

export interface Tick {
  n: number;
  at: string;
}
