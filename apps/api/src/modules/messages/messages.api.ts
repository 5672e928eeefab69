/** What other modules may use of messages: these, and nothing else of this folder. */
export { toMessage, unreadBy } from './messages.mapper.ts';
export { lastMessages, messagesBySender, messageView, QUOTED, type MessageRow } from './messages.repository.ts';
