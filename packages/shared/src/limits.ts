/** Limits shared by the API (enforcement) and the clients (early, friendly feedback). */
export const LIMITS = {
  /** Largest WebSocket frame the server accepts; a bigger one closes the socket. */
  wsMaxPayloadBytes: 64 * 1024,
  /** Longest a long-poll request may wait for events. */
  pollMaxWaitMs: 25_000,
  ticks: {
    minIntervalMs: 20,
    maxIntervalMs: 10_000,
    maxCount: 10_000,
  },
} as const;
