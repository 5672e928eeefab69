import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { KeyValueStore } from '../../ports/key-value.ts';
import { AppError } from '../../app-error.ts';

interface RefreshRecord {
  userId: string;
  familyId: string;
  /** Absolute end of the family: rotation never extends it. */
  familyExpiresAt: number;
}

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');
const tokenKey = (token: string) => `auth:rt:${hash(token)}`;
const usedKey = (token: string) => `auth:rt-used:${hash(token)}`;
const familyKey = (familyId: string) => `auth:rtf:${familyId}`;

const expired = () => new AppError('SESSION_EXPIRED', 'Your session has ended. Please sign in again.');

/**
 * Opaque 256-bit refresh tokens (RFC 9700): stored only as hashes, grouped in a family per sign-in with an
 * absolute expiry, rotated on every use. Presenting a token that was already rotated revokes its family.
 */
export interface RefreshTokenOptions {
  familyTtlMs: number;
  /** Told when a reused token revokes its family, so access checks everywhere forget that sign-in at once. */
  onReuse?: (familyId: string) => Promise<void>;
}

export function createRefreshTokens(kv: KeyValueStore, options: RefreshTokenOptions) {
  async function store(record: RefreshRecord): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await kv.set(tokenKey(token), JSON.stringify(record), record.familyExpiresAt - Date.now());
    return token;
  }

  async function live(token: string): Promise<RefreshRecord> {
    const raw = await kv.get(tokenKey(token));
    if (!raw) throw expired();
    const record = JSON.parse(raw) as RefreshRecord;
    if (record.familyExpiresAt <= Date.now()) throw expired();
    return record;
  }

  return {
    async startFamily(userId: string): Promise<{ token: string; familyId: string }> {
      const familyId = randomUUID();
      const familyExpiresAt = Date.now() + options.familyTtlMs;
      await kv.set(familyKey(familyId), userId, options.familyTtlMs);
      return { token: await store({ userId, familyId, familyExpiresAt }), familyId };
    },

    /** Whose token this is, if it is live; nothing changes. */
    async inspect(token: string): Promise<{ userId: string }> {
      return { userId: (await live(token)).userId };
    },

    /**
     * Exchanges a token for its successor; a second use of the same token revokes the whole family. The successor
     * is stored before the token is claimed, so a store that fails in between leaves the old token usable rather
     * than spent (a spent token would sign the person out at their next try, as a reuse).
     */
    async rotate(token: string): Promise<{ token: string; userId: string; familyId: string }> {
      const record = await live(token);
      if ((await kv.get(familyKey(record.familyId))) === null) throw expired();
      const successor = await store(record);
      // The claim is atomic: of two concurrent uses of one token, exactly one rotates.
      if (!(await kv.setIfAbsent(usedKey(token), '1', record.familyExpiresAt - Date.now()))) {
        await kv.delete(familyKey(record.familyId));
        await options.onReuse?.(record.familyId);
        throw expired();
      }
      return { token: successor, userId: record.userId, familyId: record.familyId };
    },

    revokeFamily: async (familyId: string) => {
      await kv.delete(familyKey(familyId));
    },

    isFamilyActive: async (familyId: string) => (await kv.get(familyKey(familyId))) !== null,
  };
}

export type RefreshTokens = ReturnType<typeof createRefreshTokens>;
