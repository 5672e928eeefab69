import { describe, expect, it } from 'vitest';
import { CONNECTION_LABEL_KEYS, reconnectDelayMs, sameOriginWsUrl, toConnectionStatus } from './connection.ts';
import { en } from './locales/en.ts';
import { ko } from './locales/ko.ts';

describe('toConnectionStatus', () => {
  it('is up to date once the socket is open', () => {
    expect(toConnectionStatus({ state: 'pending', error: null }, true)).toBe('up-to-date');
  });

  it('is connecting on the first attempt, before anything went wrong', () => {
    expect(toConnectionStatus({ state: 'connecting', error: null }, true)).toBe('connecting');
  });

  it('is offline while retrying after the socket dropped', () => {
    expect(toConnectionStatus({ state: 'connecting', error: new Error('WebSocket closed') }, true)).toBe('offline');
  });

  it('is offline when the client was closed', () => {
    expect(toConnectionStatus({ state: 'idle', error: null }, true)).toBe('offline');
  });

  it('trusts the browser when it says the network is gone, even if the socket has not noticed yet', () => {
    expect(toConnectionStatus({ state: 'pending', error: null }, false)).toBe('offline');
  });

  it('says connecting, not offline, while the socket reconnects on purpose after a sign-in or sign-out', () => {
    const retrying = { state: 'connecting', error: new Error('WebSocket closed') } as const;
    expect(toConnectionStatus(retrying, true, true)).toBe('connecting');
    expect(toConnectionStatus(retrying, false, true)).toBe('offline');
  });

  it('has a distinct label for every status, in both languages', () => {
    for (const messages of [en, ko]) {
      const labels = Object.values(CONNECTION_LABEL_KEYS).map((key) => messages.system[key.split('.')[1] as keyof typeof en.system]);
      expect(labels.every((l) => typeof l === 'string' && l.length > 0)).toBe(true);
      expect(new Set(labels).size).toBe(labels.length);
    }
    expect(en.system.upToDate).toBe('Up to date');
  });
});

describe('sameOriginWsUrl', () => {
  it('uses ws: for http pages and keeps the port', () => {
    expect(sameOriginWsUrl({ protocol: 'http:', host: '127.0.0.1:5173' })).toBe('ws://127.0.0.1:5173/trpc');
  });

  it('uses wss: for https pages', () => {
    expect(sameOriginWsUrl({ protocol: 'https:', host: 'chat.example' })).toBe('wss://chat.example/trpc');
  });
});

describe('reconnectDelayMs', () => {
  it('spreads reconnects over a window that doubles with each attempt, up to 30 s', () => {
    expect([0, 1, 2, 10].map((attempt) => reconnectDelayMs(attempt, () => 1))).toEqual([500, 1_000, 2_000, 30_000]);
    expect(reconnectDelayMs(3, () => 0)).toBe(0);
    expect(reconnectDelayMs(3, () => 0.5)).toBe(2_000);
  });
});
