import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { cutSlowConsumers } from './slow-consumers.ts';

describe('cutSlowConsumers', () => {
  it('terminates exactly the sockets whose unsent data passed the limit', () => {
    const make = (bufferedAmount: number) => ({ bufferedAmount, terminated: false, terminate() { this.terminated = true; } });
    const sockets = [make(0), make(1024), make(1025), make(10_000_000)];
    expect(cutSlowConsumers(sockets as unknown as WebSocket[], 1024)).toBe(2);
    expect(sockets.map((s) => s.terminated)).toEqual([false, false, true, true]);
  });
});
