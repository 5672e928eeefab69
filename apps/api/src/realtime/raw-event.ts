/**
 * A durable event kept as the JSON text it was serialised to once, when it was committed. events.live over a
 * WebSocket writes the text as it is (live-socket.ts); tRPC's serialisers (SSE, long-poll answers) get the event back
 * through toJSON.
 */
export class RawEvent {
  constructor(readonly json: string) {}

  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}
