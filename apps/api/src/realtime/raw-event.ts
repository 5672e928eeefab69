/**
 * A durable event kept as the JSON text it was serialised to once, when it was committed. The WebSocket encoder
 * splices the text into each subscriber's frame as it is; any other serialiser (SSE, long-poll answers) gets the
 * event back through toJSON.
 */
export class RawEvent {
  constructor(readonly json: string) {}

  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}
