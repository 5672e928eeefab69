import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { LIMITS, type CodeSentAnswer, type Session, type SessionInfo, type User } from '@youngchat/shared';
import type { Logger } from 'pino';
import type { Db } from '../../ports/database.ts';
import type { KeyValueStore } from '../../ports/key-value.ts';
import type { Mailer, MailMessage } from '../../ports/mailer.ts';
import type { RateLimiter, RateLimiterFactory } from '../../ports/rate-limiter.ts';
import { AppError } from '../../app-error.ts';
import { emailExists, findCredentials, findUserById, insertUser, setPasswordHash, toUser, type UserRow } from '../users/users.api.ts';
import type { AccessClaims, AccessTokens } from './access-token.ts';
import type { SessionCache } from './auth.session-cache.ts';
import type { ClientInfo, SessionBook } from './auth.sessions.ts';
import { alreadyRegisteredMail, codeMail, resetMail } from './auth.mail.ts';
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
  /** Each person's sign-ins, and the one way to end them. */
  sessionBook: SessionBook;
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
const resetKey = (email: string) => `auth:reset:${email}`;
const resetFailuresKey = (email: string) => `auth:reset-fails:${email}`;
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

  /** `purpose` keeps a sign-up code from ever matching a password reset, and the other way round. */
  const hashCode = (email: string, code: string, purpose: 'signup' | 'reset' = 'signup') =>
    createHmac('sha256', deps.codeSecret).update(`${purpose === 'signup' ? '' : `${purpose}\n`}${email}\n${code}`).digest('base64url');

  const newCode = () => randomInt(0, 10 ** LIMITS.code.length).toString().padStart(LIMITS.code.length, '0');
  const invalidCode = () => new AppError('INVALID_CODE', 'That code did not work. Check it, or ask for a new one.');

  /**
   * Takes the emailed code pending under `key` if `code` is it: single use, and after too many wrong guesses it is
   * gone. Wrong, expired, used and killed codes all get the same INVALID_CODE.
   */
  async function takeCode<T extends { codeHash: string }>(
    keys: { pending: string; failures: string },
    hashOfGiven: string,
    before?: (pending: T) => void,
  ): Promise<T> {
    const raw = await kv.get(keys.pending);
    if (!raw) throw invalidCode();
    const pending = JSON.parse(raw) as T;
    const expected = Buffer.from(pending.codeHash);
    const given = Buffer.from(hashOfGiven);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      const failures = await kv.increment(keys.failures, LIMITS.code.ttlMs);
      if (failures >= LIMITS.code.maxAttempts) await kv.delete(keys.pending);
      throw invalidCode();
    }
    // Checks that may fail without using the code up (a common password: choose another and try again).
    before?.(pending);
    // Single use: of two requests with the right code, one takes it.
    if ((await kv.take(keys.pending)) === null) throw invalidCode();
    await kv.delete(keys.failures);
    return pending;
  }

  function refuseCommon(password: string): void {
    if (isCommonPassword(password)) throw new AppError('PASSWORD_TOO_COMMON', 'This password is too common. Please choose another one.');
  }

  /** Mail goes out in the background: the answer must not wait for SMTP, or its timing would tell. */
  function sendLater(mail: MailMessage): void {
    deps.mailer.send(mail).catch((error: unknown) => logger.error({ err: error }, 'mail not sent'));
  }

  async function startPending(pending: Omit<PendingSignUp, 'codeHash'>): Promise<void> {
    const code = newCode();
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

  async function startSession(row: UserRow, client: ClientInfo): Promise<IssuedSession> {
    const { token, familyId } = await deps.sessionBook.start(row.id, client);
    return issueSession(row, familyId, token);
  }

  /** This access token is refused at once everywhere, until it would have expired anyway. */
  async function blacklist(auth: AccessClaims): Promise<void> {
    const ttl = auth.expiresAt.getTime() - Date.now();
    if (ttl > 0) await kv.set(blacklistKey(auth.jti), '1', ttl);
  }

  /** The password of a live account, checked, a few tries at a time (the caller is signed in, or about to go). */
  async function checkPassword(userId: string, password: string): Promise<void> {
    await limit('passwordChecksPerUser', userId);
    const row = await findCredentials(db, { id: userId });
    if (!row || !(await verifyPassword(row.password_hash, password))) {
      throw new AppError('INVALID_CREDENTIALS', 'That password is not right.');
    }
  }

  /**
   * Refuses this access token at once everywhere, ends its refresh family and every connection of this sign-in
   * (not the person's other devices).
   */
  async function logout(auth: AccessClaims): Promise<void> {
    await blacklist(auth);
    await deps.sessionBook.end(auth.userId, [auth.sessionId]);
  }

  const codeSent: CodeSentAnswer = { ok: true, codeTtlSeconds: LIMITS.code.ttlMs / 1000 };

  return {
    /** The same answer, and about the same time, whether or not the email has an account. */
    async signUp(input: { email: string; password: string; nickname: string }, ip: string): Promise<CodeSentAnswer> {
      await limit('signUpPerIp', ip);
      await limit('signUpPerEmail', input.email);
      refuseCommon(input.password);
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
    async verifyEmail(input: { email: string; code: string }, client: ClientInfo): Promise<IssuedSession> {
      await limit('codeGuessesPerIp', client.ip);
      const pending = await takeCode<PendingSignUp>(
        { pending: pendingKey(input.email), failures: failuresKey(input.email) },
        hashCode(input.email, input.code),
      );
      const row = await insertUser(db, {
        id: randomUUID(),
        email: pending.email,
        passwordHash: pending.passwordHash,
        nickname: pending.nickname,
      });
      if (!row) throw invalidCode(); // the account was created meanwhile
      logger.info({ userId: row.id }, 'account created');
      return startSession(row, client);
    },

    async login(input: { email: string; password: string }, client: ClientInfo): Promise<IssuedSession> {
      const pair = `${input.email}|${client.ip}`;
      await limit('loginPerIp', client.ip);
      const paused = await limiters.loginFailuresPerPair.peek(pair);
      if (!paused.allowed) {
        throw new AppError('RATE_LIMITED', 'Too many attempts. Please wait a moment and try again.', {
          retryAfterMs: paused.retryAfterMs,
        });
      }
      const row = await findCredentials(db, { email: input.email });
      const ok = row ? await verifyPassword(row.password_hash, input.password) : await verifyAgainstDummy(input.password);
      if (!row || !ok) {
        await limiters.loginFailuresPerPair.consume(pair);
        throw new AppError('INVALID_CREDENTIALS', 'The email or password is not right.');
      }
      await limiters.loginFailuresPerPair.reset(pair);
      const { password_hash: _hash, ...user } = row;
      return startSession(user, client);
    },

    async refresh(refreshToken: string | undefined, client: ClientInfo): Promise<IssuedSession> {
      await limit('refreshPerIp', client.ip);
      if (!refreshToken) throw new AppError('SESSION_EXPIRED', 'Please sign in.');
      // Everything that can fail for a moment is asked before the token is spent: an outage must not sign anyone out.
      const row = await findUserById(db, (await deps.refreshTokens.inspect(refreshToken)).userId);
      if (!row || row.deleted_at) throw new AppError('SESSION_EXPIRED', 'Please sign in.');
      const rotated = await deps.refreshTokens.rotate(refreshToken);
      await deps.sessionBook.touch(rotated.familyId, client);
      return issueSession(row, rotated.familyId, rotated.token);
    },

    logout,

    /** Every sign-in of the person ends, this one included. */
    async logoutEverywhere(auth: AccessClaims): Promise<void> {
      await blacklist(auth);
      await deps.sessionBook.endAllBut(auth.userId, null, [auth.sessionId]);
    },

    sessions: (auth: AccessClaims): Promise<SessionInfo[]> => deps.sessionBook.list(auth.userId, auth.sessionId),

    /** "Sign out this device": one of the person's own sign-ins; their current one is a logout. */
    async revokeSession(auth: AccessClaims, sessionId: string): Promise<void> {
      if (sessionId === auth.sessionId) return logout(auth);
      if (!(await deps.sessionBook.isOpen(auth.userId, sessionId))) throw new AppError('NOT_FOUND', 'That device is not signed in.');
      await deps.sessionBook.end(auth.userId, [sessionId]);
    },

    /** Needs the current password; every other sign-in ends, this one stays. */
    async changePassword(auth: AccessClaims, input: { currentPassword: string; newPassword: string }): Promise<void> {
      await checkPassword(auth.userId, input.currentPassword);
      refuseCommon(input.newPassword);
      await setPasswordHash(db, auth.userId, await hashPassword(input.newPassword));
      await deps.sessionBook.endAllBut(auth.userId, auth.sessionId);
      logger.info({ userId: auth.userId }, 'password changed');
    },

    checkPassword,

    /** The same answer, and about the same work, whether or not the email has an account. */
    async requestPasswordReset(email: string, ip: string): Promise<CodeSentAnswer> {
      await limit('resetPerIp', ip);
      await limit('resetPerEmail', email);
      const row = await findCredentials(db, { email });
      const code = newCode();
      // Stored for an unknown email too (no account can ever use it), so both answers cost the same.
      await kv.set(resetKey(email), JSON.stringify({ userId: row?.id ?? null, codeHash: hashCode(email, code, 'reset') }), LIMITS.code.ttlMs);
      await kv.delete(resetFailuresKey(email));
      if (row) sendLater(resetMail(email, code, LIMITS.code.ttlMs / 60_000));
      return codeSent;
    },

    /** A new password by emailed code: signs this device in, and every other sign-in ends. */
    async resetPassword(input: { email: string; code: string; newPassword: string }, client: ClientInfo): Promise<IssuedSession> {
      await limit('codeGuessesPerIp', client.ip);
      const pending = await takeCode<{ userId: string | null; codeHash: string }>(
        { pending: resetKey(input.email), failures: resetFailuresKey(input.email) },
        hashCode(input.email, input.code, 'reset'),
        () => refuseCommon(input.newPassword),
      );
      const row = pending.userId ? await findUserById(db, pending.userId) : undefined;
      if (!row || row.deleted_at) throw invalidCode();
      await setPasswordHash(db, row.id, await hashPassword(input.newPassword));
      await deps.sessionBook.endAllBut(row.id, null);
      logger.info({ userId: row.id }, 'password reset');
      return startSession(row, client);
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
