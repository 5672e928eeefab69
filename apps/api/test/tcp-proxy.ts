import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1:0 in front of a real service, so a test can cut the link or stall it (an outage or a
 * hung server as the API sees it) without touching the machine's shared service.
 */
async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let cut = false;
  let stalled = false;
  /** Bytes held while stalled, in arrival order, with where they were going. */
  const held: [net.Socket, Buffer][] = [];
  const forward = (to: net.Socket, chunk: Buffer) => (stalled ? held.push([to, chunk]) : to.write(chunk));
  const server = net.createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = net.connect(target);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => forward(upstream, chunk));
    upstream.on('data', (chunk: Buffer) => forward(client, chunk));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    /** Drops every open connection and refuses new ones until `restore`. */
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      cut = false;
    },
    /** Keeps connections open but passes nothing either way until `resume`: a server that stopped answering. */
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
      for (const [to, chunk] of held.splice(0)) if (!to.destroyed) to.write(chunk);
    },
    async close() {
      this.cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type TcpProxy = Awaited<ReturnType<typeof startTcpProxy>>;

/** A proxy in front of the service that `url` names (postgres://, redis://, amqp://…). */
export function proxyInFrontOf(url: string): Promise<TcpProxy> {
  const { hostname, port, protocol } = new URL(url);
  return startTcpProxy({ host: hostname, port: Number(port || DEFAULT_PORTS[protocol]) });
}

const DEFAULT_PORTS: Record<string, number> = { 'postgres:': 5432, 'postgresql:': 5432, 'redis:': 6379, 'amqp:': 5672 };

/** `url` with its host and port replaced by the proxy's: the same database, vhost and credentials, through it. */
export function throughProxy(url: string, proxy: { port: number }): string {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return proxied.toString();
}
