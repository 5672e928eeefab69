import { LIMITS, type User } from '@youngchat/shared';
import type { Db } from '../../ports/database.ts';
import type { RateLimiterFactory } from '../../ports/rate-limiter.ts';
import { AppError } from '../../app-error.ts';
import { toUser } from './users.mapper.ts';
import { searchUsers } from './users.repository.ts';

/** Finding a friend by exact email tells whether that email has an account, so searches are metered. */
const SEARCH_RULE = { name: 'users_search', points: 60, durationSec: 60 };

export function createUsersService({ db, rateLimiters }: { db: Db; rateLimiters: RateLimiterFactory }) {
  const searches = rateLimiters.create(SEARCH_RULE);
  return {
    /** Nickname prefix or exact email; the mapper leaves out every email but the viewer's own. */
    async search(viewerId: string, query: string): Promise<User[]> {
      const verdict = await searches.consume(viewerId);
      if (!verdict.allowed) {
        throw new AppError('RATE_LIMITED', 'Too many searches. Please wait a moment.', { retryAfterMs: verdict.retryAfterMs });
      }
      const rows = await searchUsers(db, query, LIMITS.searchResults);
      return rows.map((row) => toUser(row, viewerId));
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
