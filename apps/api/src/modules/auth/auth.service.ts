import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { LIMITS, type CodeSentAnswer, type Session, type User } from '@youngchat/shared';
import type { Logger } from 'pino';
import type { Db } from '../../ports/database.ts';
import type { KeyValueStore } from '../../ports/key-value.ts';
import type { Mailer, MailMessage } from '../../ports/mailer.ts';
import type { RateLimiter, RateLimiterFactory } from '../../ports/rate-limiter.ts';
import type { ConnectionRegistry } from '../../realtime/connections.ts';
import { AppError } from '../../app-error.ts';
import { emailExists, findCredentials, findUserById, insertUser, toUser, type UserRow } from '../users/users.api.ts';
import type { AccessClaims, AccessTokens } from './access-token.ts';
import type { SessionCache } from './auth.session-cache.ts';
import { alreadyRegisteredMail, codeMail } from './auth.mail.ts';
import { AUTH_RATE_RULES } from './auth.policy.ts';
import { hashPassword, isCommonPassword, verifyAgainstDummy, verifyPassword } from './password.ts';
import type { RefreshTokens } from './refresh-tokens.ts';

export interface AuthServiceDeps {
  db: Db;
  kv: KeyValueStore;
  mailer: Mailer;
  rateLimiters: RateLimiterFactory;
  accessTokens: AccessTokens;
  refreshTokens: RefreshTokens;
  sessions: SessionCache;
  connections: ConnectionRegistry;
  /** Keys the HMAC of verification codes, so a leaked KV store does not reveal codes. */
  codeSecret: string;
  logger: Logger;
}

interface PendingSignUp {
  email: string;
  passwordHash: string;
  nickname: string;
  codeHash: string;
}

const pendingKey = (email: string) => `auth:signup:${email}`;
const failuresKey = (email: string) => `auth:signup-fails:${email}`;
const blacklistKey = (jti: string) => `auth:bl:${jti}`;

/** Everything a client sees on a successful sign-in; the router decides where the refresh token goes. */
export interface IssuedSession {
  session: Omit<Session, 'refreshToken'>;
  refreshToken: string;
}

export function createAuthService(deps: AuthServiceDeps) {
  const { db, kv, logger } = deps;
  const limiters = Object.fromEntries(
    Object.entries(AUTH_RATE_RULES).map(([key, rule]) => [key, deps.rateLimiters.create(rule)]),
  ) as Record<keyof typeof AUTH_RATE_RULES, RateLimiter>;

  async function limit(rule: keyof typeof AUTH_RATE_RULES, key: string): Promise<void> {
    const verdict = await limiters[rule].consume(key);
    if (!verdict.allowed) {
      throw new AppError('RATE_LIMITED', 'Too many attempts. Please wait a moment and try again.', {
        retryAfterMs: verdict.retryAfterMs,
      });
    }
  }

  const hashCode = (email: string, code: string) =>
    createHmac('sha256', deps.codeSecret).update(`${email}\n${code}`).digest('base64url');

  /** Mail goes out in the background: the answer must not wait for SMTP, or its timing would tell. */
  function sendLater(mail: MailMessage): void {
    deps.mailer.send(mail).catch((error: unknown) => logger.error({ err: error }, 'mail not sent'));
  }

  async function startPending(pending: Omit<PendingSignUp, 'codeHash'>): Promise<void> {
    const code = randomInt(0, 10 ** LIMITS.code.length).toString().padStart(LIMITS.code.length, '0');
    await kv.set(pendingKey(pending.email), JSON.stringify({ ...pending, codeHash: hashCode(pending.email, code) }), LIMITS.code.ttlMs);
    await kv.delete(failuresKey(pending.email));
    sendLater(codeMail(pending.email, code, LIMITS.code.ttlMs / 60_000));
  }

  async function issueSession(row: UserRow, familyId: string, refreshToken: string): Promise<IssuedSession> {
    const { token, claims } = await deps.accessTokens.issue(row.id, familyId);
    return {
      session: { user: toUser(row, row.id), accessToken: token, accessTokenExpiresAt: claims.expiresAt.toISOString() },
      refreshToken,
    };
  }

  async function startSession(row: UserRow): Promise<IssuedSession> {
    const { token, familyId } = await deps.refreshTokens.startFamily(row.id);
    return issueSession(row, familyId, token);
  }

  const codeSent: CodeSentAnswer = { ok: true, codeTtlSeconds: LIMITS.code.ttlMs / 1000 };

  return {
    /** The same answer, and about the same time, whether or not the email has an account. */
    async signUp(input: { email: string; password: string; nickname: string }, ip: string): Promise<CodeSentAnswer> {
      await limit('signUpPerIp', ip);
      await limit('signUpPerEmail', input.email);
      if (isCommonPassword(input.password)) {
        throw new AppError('PASSWORD_TOO_COMMON', 'This password is too common. Please choose another one.');
      }
      const passwordHash = await hashPassword(input.password);
      if (await emailExists(db, input.email)) sendLater(alreadyRegisteredMail(input.email));
      else await startPending({ email: input.email, passwordHash, nickname: input.nickname });
      return codeSent;
    },

    async resendCode(email: string, ip: string): Promise<CodeSentAnswer> {
      await limit('resendPerIp', ip);
      await limit('resendPerEmail', email);
      const raw = await kv.get(pendingKey(email));
      if (raw) {
        const { codeHash: _old, ...pending } = JSON.parse(raw) as PendingSignUp;
        await startPending(pending);
      }
      return codeSent;
    },

    /** Creates the account. Wrong, expired, used and killed codes all get the same INVALID_CODE. */
    async verifyEmail(input: { email: string; code: string }, ip: string): Promise<IssuedSession> {
      await limit('codeGuessesPerIp', ip);
      const invalid = () => new AppError('INVALID_CODE', 'That code did not work. Check it, or ask for a new one.');
      const raw = await kv.get(pendingKey(input.email));
      if (!raw) throw invalid();
      const pending = JSON.parse(raw) as PendingSignUp;
      const expected = Buffer.from(pending.codeHash);
      const given = Buffer.from(hashCode(input.email, input.code));
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        const failures = await kv.increment(failuresKey(input.email), LIMITS.code.ttlMs);
        if (failures >= LIMITS.code.maxAttempts) await kv.delete(pendingKey(input.email));
        throw invalid();
      }
      // Single use: of two requests with the right code, one takes it.
      if ((await kv.take(pendingKey(input.email))) === null) throw invalid();
      await kv.delete(failuresKey(input.email));
      const row = await insertUser(db, {
        id: randomUUID(),
        email: pending.email,
        passwordHash: pending.passwordHash,
        nickname: pending.nickname,
      });
      if (!row) throw invalid(); // the account was created meanwhile
      logger.info({ userId: row.id }, 'account created');
      return startSession(row);
    },

    async login(input: { email: string; password: string }, ip: string): Promise<IssuedSession> {
      const pair = `${input.email}|${ip}`;
      await limit('loginPerIp', ip);
      const paused = await limiters.loginFailuresPerPair.peek(pair);
      if (!paused.allowed) {
        throw new AppError('RATE_LIMITED', 'Too many attempts. Please wait a moment and try again.', {
          retryAfterMs: paused.retryAfterMs,
        });
      }
      const row = await findCredentials(db, input.email);
      const ok = row ? await verifyPassword(row.password_hash, input.password) : await verifyAgainstDummy(input.password);
      if (!row || !ok) {
        await limiters.loginFailuresPerPair.consume(pair);
        throw new AppError('INVALID_CREDENTIALS', 'The email or password is not right.');
      }
      await limiters.loginFailuresPerPair.reset(pair);
      const { password_hash: _hash, ...user } = row;
      return startSession(user);
    },

    async refresh(refreshToken: string | undefined, ip: string): Promise<IssuedSession> {
      await limit('refreshPerIp', ip);
      if (!refreshToken) throw new AppError('SESSION_EXPIRED', 'Please sign in.');
      // Everything that can fail for a moment is asked before the token is spent: an outage must not sign anyone out.
      const row = await findUserById(db, (await deps.refreshTokens.inspect(refreshToken)).userId);
      if (!row) throw new AppError('SESSION_EXPIRED', 'Please sign in.');
      const rotated = await deps.refreshTokens.rotate(refreshToken);
      return issueSession(row, rotated.familyId, rotated.token);
    },

    /**
     * Refuses this access token at once everywhere, ends its refresh family and every connection of this sign-in
     * (not the person's other devices).
     */
    async logout(auth: AccessClaims): Promise<void> {
      const ttl = auth.expiresAt.getTime() - Date.now();
      if (ttl > 0) await kv.set(blacklistKey(auth.jti), '1', ttl);
      await deps.refreshTokens.revokeFamily(auth.sessionId);
      await deps.sessions.revoked({ sessionId: auth.sessionId });
      await deps.connections.endSessionEverywhere(auth.sessionId);
    },

    /** A valid JWT that is not blacklisted and whose sign-in has not ended. */
    async authenticate(token: string): Promise<AccessClaims> {
      const known = deps.sessions.lookup(token);
      if (known) return known;
      const checkedFrom = deps.sessions.epoch();
      const claims = await deps.accessTokens.verify(token);
      const [blacklisted, active] = await Promise.all([
        kv.get(blacklistKey(claims.jti)),
        deps.refreshTokens.isFamilyActive(claims.sessionId),
      ]);
      if (blacklisted !== null || !active) throw new AppError('UNAUTHORIZED', 'Please sign in again.');
      deps.sessions.remember(token, claims, checkedFrom);
      return claims;
    },

    async me(auth: AccessClaims): Promise<User> {
      const row = await findUserById(db, auth.userId);
      if (!row) throw new AppError('UNAUTHORIZED', 'Please sign in again.');
      return toUser(row, auth.userId);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
