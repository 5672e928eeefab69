// The baseline: a bare `ws` server that serialises each tick once and broadcasts it to every socket.
// Same wire shape as system.ticks, none of the tRPC machinery.
import { WebSocketServer } from 'ws';

const intervalMs = Number(process.argv[2] ?? 100);
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
let n = 0;
setInterval(() => {
  n += 1;
  const frame = JSON.stringify({ id: String(n), data: { n, at: new Date().toISOString() } });
  for (const client of wss.clients) client.send(frame);
}, intervalMs);
wss.on('listening', () => {
  const address = wss.address();
  console.log(JSON.stringify({ msg: 'listening', port: typeof address === 'object' && address ? address.port : 0 }));
});
