import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  CONNECTION_REPLACED_CLOSE_CODE,
  SESSION_ENDED_CLOSE_CODE,
  TOO_MANY_CONNECTIONS_CLOSE_CODE,
} from '@youngchat/shared';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { toConnectionStatus } from './connection.ts';
import { createApi } from './trpc.ts';

/**
 * The app's real wsClient against a bare WebSocket server that closes the first socket with `code` as soon as it
 * has spoken (sent its connection params), i.e. while the client counts it as open.
 */
async function clientClosedWith(code: number) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  let sockets = 0;
  server.on('connection', (ws) => {
    if (++sockets === 1) ws.once('message', () => ws.close(code, 'test'));
  });
  const { port } = server.address() as AddressInfo;
  vi.stubGlobal('WebSocket', WebSocket);
  vi.stubGlobal('window', { location: { protocol: 'http:', host: `127.0.0.1:${port}` }, addEventListener() {}, removeEventListener() {} });
  vi.stubGlobal('navigator', { onLine: true });
  const api = createApi({ queryClient: new QueryClient(), auth: { accessToken: () => null, renew: async () => false } });
  const status = () => toConnectionStatus(api.socket.get(), true);
  cleanups.push(async () => {
    await api.wsClient.close();
    server.close();
  });
  return { api, status, sockets: () => sockets };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  vi.unstubAllGlobals();
});

describe('wsClient closed by the server', () => {
  it('4409: says "open elsewhere" and does not reconnect by itself', async () => {
    const { api, status, sockets } = await clientClosedWith(CONNECTION_REPLACED_CLOSE_CODE);
    await vi.waitFor(() => expect(api.wsClient.connectionState.get().state).toBe('idle'));
    expect(api.socket.get().openedElsewhere).toBe(true);
    expect(status()).toBe('elsewhere');
    // The first retry would come within 500 ms (reconnectDelayMs(0)).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(sockets()).toBe(1);
    expect(status()).toBe('elsewhere');
  });

  it.each([TOO_MANY_CONNECTIONS_CLOSE_CODE, SESSION_ENDED_CLOSE_CODE, 1011])('%i: reconnects, never "elsewhere"', async (code) => {
    const { api, status, sockets } = await clientClosedWith(code);
    await vi.waitFor(() => expect(sockets()).toBe(2));
    await vi.waitFor(() => expect(status()).toBe('up-to-date'));
    expect(api.socket.get().openedElsewhere).toBe(false);
  });
});
