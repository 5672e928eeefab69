/** Limits shared by the API (enforcement) and the clients (early, friendly feedback). */
export const LIMITS = {
  /** Largest WebSocket frame the server accepts; a bigger one closes the socket. */
  wsMaxPayloadBytes: 64 * 1024,
  /** Longest a long-poll request may wait for events. */
  pollMaxWaitMs: 25_000,
  password: { min: 8, max: 128 },
  email: { max: 254 },
  nickname: { min: 1, max: 40 },
  statusMessage: { max: 140 },
  searchQuery: { min: 1, max: 64 },
  searchResults: 20,
  /** Verification codes: six digits, valid this long, this many wrong guesses. */
  code: { length: 6, ttlMs: 10 * 60_000, maxAttempts: 5 },
  avatar: { maxBytes: 5 * 1024 * 1024, maxPixels: 40_000_000, sizePx: 512 },
  message: { maxChars: 4_000 },
  /** A reply's quote of the message it answers. */
  replySnippetChars: 100,
  /** Photos in chat: the upload, the picture kept (longest side) and its thumbnail. */
  photo: { maxBytes: 15 * 1024 * 1024, maxPixels: 50_000_000, maxSidePx: 2_048, thumbSidePx: 360 },
  roomName: { min: 1, max: 60 },
  /** Members of a group besides its creator, and people invited at once. */
  groupMembers: { max: 100 },
  history: { defaultPage: 30, maxPage: 100 },
} as const;
