import type { AdapterKinds, SystemInfo } from '@youngchat/shared';

export interface SystemServiceDeps {
  version: string;
  instanceId: string;
  adapters: AdapterKinds;
}

export function createSystemService(deps: SystemServiceDeps) {
  return {
    info(): SystemInfo {
      return {
        name: 'YOUng Chat',
        version: deps.version,
        instanceId: deps.instanceId,
        adapters: deps.adapters,
        serverTime: new Date().toISOString(),
      };
    },
  };
}

export type SystemService = ReturnType<typeof createSystemService>;
