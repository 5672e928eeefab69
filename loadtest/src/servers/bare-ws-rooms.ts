// The chat baseline: the API's room fan-out with nothing else — no persistence, no auth, no tRPC. A client joins
// its rooms by URL (`/?rooms=<id>,<id>…`) and sends {roomId, clientId, body, sentAt}; the server stamps the room's
// next seq, serialises the message once, sends it to the room's other members and acknowledges the sender.
import { WebSocketServer, type WebSocket } from 'ws';

interface Room {
  seq: number;
  members: Set<WebSocket>;
}

const rooms = new Map<string, Room>();
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false, maxPayload: 64 * 1024 });

wss.on('connection', (ws, req) => {
  const joined = (new URL(req.url ?? '/', 'http://x').searchParams.get('rooms') ?? '').split(',');
  for (const id of joined) {
    let room = rooms.get(id);
    if (!room) rooms.set(id, (room = { seq: 0, members: new Set() }));
    room.members.add(ws);
  }
  ws.on('message', (raw) => {
    const { roomId, clientId, body, sentAt } = JSON.parse(raw.toString()) as { roomId: string; clientId: string; body: string; sentAt: number };
    const target = rooms.get(roomId);
    if (!target?.members.has(ws)) return void ws.send(JSON.stringify({ error: 'not a member', clientId }));
    target.seq += 1;
    const frame = JSON.stringify({ roomId, seq: target.seq, clientId, body, sentAt });
    for (const member of target.members) if (member !== ws) member.send(frame);
    ws.send(JSON.stringify({ ack: clientId, seq: target.seq }));
  });
  ws.once('close', () => {
    for (const id of joined) rooms.get(id)?.members.delete(ws);
  });
});
wss.on('listening', () => {
  const address = wss.address();
  console.log(JSON.stringify({ msg: 'listening', port: typeof address === 'object' && address ? address.port : 0 }));
});
