/** What other modules may use of events: these, and nothing else of this folder. */
export { commitWithEvents, type Change } from './events.commit.ts';
export { messageCreatedEntry, type LogEntry } from './events.repository.ts';
