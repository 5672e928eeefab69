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
