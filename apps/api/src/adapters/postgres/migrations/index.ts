import type { Migration } from 'kysely/migration';
import * as kvEntries from './20261125064500_kv_entries.ts';
import * as users from './20261125074000_users.ts';
import * as rateLimits from './20261125074500_rate_limits.ts';
import * as roomsMessages from './20261125080000_rooms_messages.ts';
import * as userEvents from './20261125081000_user_events.ts';
import * as userBlocks from './20261125090000_user_blocks.ts';
import * as userEventsCreatedAt from './20261125093000_user_events_created_at.ts';
import * as streamLog from './20261201060000_stream_log.ts';
import * as rateLimitsUnlogged from './20261201070000_rate_limits_unlogged.ts';
import * as eventVersions from './20261201090000_event_versions.ts';
import * as accountLife from './20261201100000_account_life.ts';
import * as repliesPhotosReactions from './20261201120000_replies_photos_reactions.ts';

/**
 * The migration list, oldest first. Static imports (rather than a folder scan) keep migrations
 * loadable by every runner: tsx, vitest and bundlers alike.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '20261125064500_kv_entries': kvEntries,
  '20261125074000_users': users,
  '20261125074500_rate_limits': rateLimits,
  '20261125080000_rooms_messages': roomsMessages,
  '20261125081000_user_events': userEvents,
  '20261125090000_user_blocks': userBlocks,
  '20261125093000_user_events_created_at': userEventsCreatedAt,
  '20261201060000_stream_log': streamLog,
  '20261201070000_rate_limits_unlogged': rateLimitsUnlogged,
  '20261201090000_event_versions': eventVersions,
  '20261201100000_account_life': accountLife,
  '20261201120000_replies_photos_reactions': repliesPhotosReactions,
};
