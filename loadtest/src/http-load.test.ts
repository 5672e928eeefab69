import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectUsers, get, usersAgent, type Request } from './http-load.ts';

describe('the users of an HTTP load', () => {
  let server: http.Server;
  let connections = 0;
  beforeAll(async () => {
    // Answers a little later, so that every user's request is in flight at once.
    server = http.createServer((_req, res) => void setTimeout(() => res.end('{}'), 20));
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('are connected before the load, one connection each, and stay connected through a burst of all of them', async () => {
    const users = 300; // more than the 256 idle connections an agent keeps by default
    const request: Request = (agent) => get(agent, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const agent = usersAgent(users);
    try {
      connections = 0;
      await connectUsers(agent, users, request);
      expect(connections).toBe(users);
      await Promise.all(Array.from({ length: users }, (_, user) => request(agent, user, 1)));
      expect(connections).toBe(users);
    } finally {
      agent.destroy();
    }
  });
});
