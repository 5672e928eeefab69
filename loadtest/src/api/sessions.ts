import { mapLimit } from '../pool.ts';
import { createAccessTokens, createRedisKeyValue, createRefreshTokens, createSqlKeyValue, type Database } from './internals.ts';

/** The longest access token the API issues; the run (≤ 120 s plus setup) ends well before it expires. */
const ACCESS_TOKEN_TTL_MS = 15 * 60_000;
/** Session families outlive the run; in Redis they then expire on their own. */
const SESSION_TTL_MS = 60 * 60_000;

/**
 * One access token per user that the server's authenticate() accepts: signed with the deployment's
 * JWT_SECRET, on a live session (refresh family) in the key-value store the server reads, through the API's
 * own token code. Sign-up cannot do this for a thousand users: email codes and per-address rate limits.
 */
export async function mintAccessTokens(
  userIds: string[],
  options: { jwtSecret: string; database: Database; redis: { url: string; keyPrefix: string } | undefined },
): Promise<string[]> {
  const kv = options.redis ? await createRedisKeyValue(options.redis) : createSqlKeyValue(options.database.db);
  try {
    const families = createRefreshTokens(kv, { familyTtlMs: SESSION_TTL_MS });
    const accessTokens = createAccessTokens({ secret: options.jwtSecret, ttlMs: ACCESS_TOKEN_TTL_MS });
    return await mapLimit(userIds, 16, async (userId) => {
      const { familyId } = await families.startFamily(userId);
      return (await accessTokens.issue(userId, familyId)).token;
    });
  } finally {
    await kv.close();
  }
}
