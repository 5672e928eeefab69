import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientIp, isLoopback } from './origin-policy.ts';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as unknown as IncomingMessage;

describe('client addresses', () => {
  it('takes the first forwarded address only behind a trusted proxy', () => {
    expect(clientIp(request('127.0.0.1', '203.0.113.7, 10.0.0.1'), true)).toBe('203.0.113.7');
    expect(clientIp(request('198.51.100.2', '127.0.0.1'), false)).toBe('198.51.100.2');
  });

  it('behind nginx, a visitor from elsewhere is not loopback (the dev outbox holds sign-up codes)', () => {
    expect(isLoopback(request('127.0.0.1', '203.0.113.7'), true)).toBe(false);
    expect(isLoopback(request('127.0.0.1', '127.0.0.1'), true)).toBe(true);
    expect(isLoopback(request('::1'), false)).toBe(true);
    // Without a trusted proxy a forged header changes nothing either way.
    expect(isLoopback(request('198.51.100.2', '127.0.0.1'), false)).toBe(false);
  });
});
