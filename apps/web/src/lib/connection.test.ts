import {
  CONNECTION_REPLACED_CLOSE_CODE,
  SESSION_ENDED_CLOSE_CODE,
  TOO_MANY_CONNECTIONS_CLOSE_CODE,
} from '@youngchat/shared';
import { describe, expect, it } from 'vitest';
import { closeMeaning, reconnectDelayMs, sameOriginWsUrl, toConnectionStatus } from './connection.ts';
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
    const retrying = { state: 'connecting', error: new Error('WebSocket closed'), closedOnPurpose: true } as const;
    expect(toConnectionStatus(retrying, true)).toBe('connecting');
    expect(toConnectionStatus(retrying, false)).toBe('offline');
  });

  it('says open elsewhere, and nothing else, once a newer connection of the same person took over', () => {
    for (const state of ['pending', 'connecting', 'idle'] as const) {
      expect(toConnectionStatus({ state, error: null, openedElsewhere: true }, true)).toBe('elsewhere');
      // The network coming back would not reconnect it: only the person choosing this window does.
      expect(toConnectionStatus({ state, error: null, openedElsewhere: true }, false)).toBe('elsewhere');
    }
  });

  it('explains "open elsewhere" in both languages, naming the button by its own words', () => {
    for (const messages of [en, ko]) {
      expect(messages.system.elsewhere.length).toBeGreaterThan(0);
      expect(messages.system.useHere.length).toBeGreaterThan(0);
      expect(messages.system.elsewhereHint).toContain(`“${messages.system.useHere}”`);
    }
    expect([en.system.elsewhere, en.system.useHere]).toEqual(['Open in another window', 'Use here']);
    expect([ko.system.elsewhere, ko.system.useHere]).toEqual(['다른 창에서 열려 있어요', '여기에서 사용']);
  });
});

describe('closeMeaning', () => {
  /** The status right after a server close with `code`, as trpc.ts records it (wsClient then retries or goes idle). */
  const statusAfterClose = (code: number) =>
    toConnectionStatus(
      {
        state: closeMeaning(code) === 'opened-elsewhere' ? 'idle' : 'connecting',
        error: new Error('WebSocket closed'),
        closedOnPurpose: closeMeaning(code) === 'reconnect-expected',
        openedElsewhere: closeMeaning(code) === 'opened-elsewhere',
      },
      true,
    );

  it('stops at 4409: the app was opened elsewhere, and reconnecting would push that window out', () => {
    expect(CONNECTION_REPLACED_CLOSE_CODE).toBe(4409);
    expect(closeMeaning(CONNECTION_REPLACED_CLOSE_CODE)).toBe('opened-elsewhere');
    expect(statusAfterClose(CONNECTION_REPLACED_CLOSE_CODE)).toBe('elsewhere');
  });

  it('reconnects after every other close, too many from one address (4429) included, and is never "elsewhere"', () => {
    expect(closeMeaning(SESSION_ENDED_CLOSE_CODE)).toBe('reconnect-expected');
    expect(statusAfterClose(SESSION_ENDED_CLOSE_CODE)).toBe('connecting');
    for (const code of [TOO_MANY_CONNECTIONS_CLOSE_CODE, 1000, 1001, 1006, 1011, 4000]) {
      expect(closeMeaning(code), String(code)).toBe('reconnect');
      expect(statusAfterClose(code), String(code)).toBe('offline');
    }
    expect(closeMeaning(undefined)).toBe('reconnect');
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
