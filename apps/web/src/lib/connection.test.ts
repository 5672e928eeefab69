import { describe, expect, it } from 'vitest';
import { CONNECTION_LABELS, sameOriginWsUrl, toConnectionStatus } from './connection.ts';

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

  it('has a distinct label for every status', () => {
    const labels = Object.values(CONNECTION_LABELS);
    expect(new Set(labels).size).toBe(labels.length);
    expect(CONNECTION_LABELS['up-to-date']).toBe('Up to date');
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
