import { Redis } from 'ioredis';
import { SignJWT, UnsecuredJWT } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { appCodeOf, createAccount, httpClient, outboxCodes, waitForCode, type CodeReader } from './clients.ts';
import { realServicesEnv, startTestServer, type TestServer } from './harness.ts';
import { SERVICES, describeWithServices } from './services.ts';
import { startSmtpServer, textsTo } from './smtp-server.ts';

type Api = ReturnType<typeof httpClient>;

/** A client whose requests look as if they came from `ip` (the test server trusts X-Forwarded-For). */
function fromIp(server: TestServer, ip: string, accessToken?: string): Api {
  return httpClient(server, { accessToken, headers: { 'x-forwarded-for': ip } });
}

let nextIp = 1;
const freshIp = () => `198.51.100.${nextIp++ % 250}`;
const email = (label: string) => `${label}.${Date.now()}.${Math.random().toString(36).slice(2, 6)}@example.com`;

function accountSuite(getServer: () => TestServer, getCodes: () => CodeReader) {
  it('creates the account only after the emailed code is entered, then signs in', async () => {
    const server = getServer();
    const api = fromIp(server, freshIp());
    const address = email('signup');
    const answer = await api.auth.signUp.mutate({ email: address, password: 'a long enough secret', nickname: '민지' });
    expect(answer).toEqual({ ok: true, codeTtlSeconds: 600 });
    expect(await appCodeOf(api.auth.login.mutate({ email: address, password: 'a long enough secret' }))).toBe('INVALID_CREDENTIALS');
    const users = await server.deps.database.db.selectFrom('users').select('id').where('email', '=', address).execute();
    expect(users).toEqual([]);

    const code = await waitForCode(getCodes(), address);
    const session = await api.auth.verifyEmail.mutate({ email: address, code, session: 'token' });
    expect(session.user).toMatchObject({ email: address, nickname: '민지', statusMessage: '', avatarUrl: null });
    expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const expiresIn = Date.parse(session.accessTokenExpiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);
    expect(await fromIp(server, freshIp(), session.accessToken).auth.me.query()).toEqual(session.user);

    // The code is single use.
    expect(await appCodeOf(api.auth.verifyEmail.mutate({ email: address, code, session: 'token' }))).toBe('INVALID_CODE');
  });

  it('hashes passwords with argon2id at ASVS strength and refuses common ones', async () => {
    const server = getServer();
    const account = await createAccount(server, {}, getCodes());
    const row = await server.deps.database.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', account.user.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$/);
    const params = Object.fromEntries([...row.password_hash.matchAll(/([mtp])=(\d+)/g)].map(([, k, v]) => [k, Number(v)]));
    expect(params.m).toBeGreaterThanOrEqual(19_456);
    expect(params.t).toBeGreaterThanOrEqual(2);
    expect(params.p).toBe(1);

    const api = fromIp(server, freshIp());
    expect(await appCodeOf(api.auth.signUp.mutate({ email: email('common'), password: 'password123', nickname: 'x' }))).toBe(
      'PASSWORD_TOO_COMMON',
    );
    expect(await appCodeOf(api.auth.signUp.mutate({ email: email('short'), password: 'short', nickname: 'x' }))).toBe('BAD_INPUT');
  });

  it('kills a code after 5 wrong guesses, and refuses another address’s code', async () => {
    const server = getServer();
    const api = fromIp(server, freshIp());
    const [mine, theirs] = [email('guess'), email('other')];
    await api.auth.signUp.mutate({ email: mine, password: 'a long enough secret', nickname: 'a' });
    await api.auth.signUp.mutate({ email: theirs, password: 'a long enough secret', nickname: 'b' });
    const myCode = await waitForCode(getCodes(), mine);
    const theirCode = await waitForCode(getCodes(), theirs);
    if (theirCode !== myCode) {
      expect(await appCodeOf(api.auth.verifyEmail.mutate({ email: mine, code: theirCode }))).toBe('INVALID_CODE');
    }
    const wrong = String((Number(myCode) + 1) % 1_000_000).padStart(6, '0');
    for (let i = theirCode !== myCode ? 1 : 0; i < 5; i++) {
      expect(await appCodeOf(api.auth.verifyEmail.mutate({ email: mine, code: wrong }))).toBe('INVALID_CODE');
    }
    expect(await appCodeOf(api.auth.verifyEmail.mutate({ email: mine, code: myCode }))).toBe('INVALID_CODE');
    // The other pending sign-up is untouched.
    await expect(api.auth.verifyEmail.mutate({ email: theirs, code: theirCode, session: 'token' })).resolves.toBeDefined();
  });

  it('keeps a pending sign-up at most 10 minutes, and a resent code replaces the old one', async () => {
    const server = getServer();
    const api = fromIp(server, freshIp());
    const address = email('resend');
    await api.auth.signUp.mutate({ email: address, password: 'a long enough secret', nickname: 'r' });
    const first = await waitForCode(getCodes(), address);
    const ttl = await server.deps.keyValue.ttlMs(`auth:signup:${address}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(600_000);
    let second = first;
    for (let attempt = 0; attempt < 3 && second === first; attempt++) {
      await api.auth.resendCode.mutate({ email: address });
      await new Promise((r) => setTimeout(r, 200));
      second = await waitForCode(getCodes(), address);
    }
    expect(second).not.toBe(first);
    expect(await appCodeOf(api.auth.verifyEmail.mutate({ email: address, code: first }))).toBe('INVALID_CODE');
    await expect(api.auth.verifyEmail.mutate({ email: address, code: second })).resolves.toBeDefined();
  });

  it('answers sign-up, login and resend the same for known and unknown emails', async () => {
    const server = getServer();
    const account = await createAccount(server, {}, getCodes());
    const known = account.user.email!;
    const unknown = email('nobody');
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': freshIp() },
        body: JSON.stringify(body),
      }).then(async (res) => ({ status: res.status, body: JSON.stringify((await res.json()) as unknown) }));
    const timed = async (fn: () => Promise<unknown>) => {
      const started = performance.now();
      await fn();
      return performance.now() - started;
    };

    for (const [path, make] of [
      ['auth.signUp', (e: string) => ({ email: e, password: 'another long secret', nickname: 'n' })],
      ['auth.login', (e: string) => ({ email: e, password: 'not the password' })],
      ['auth.resendCode', (e: string) => ({ email: e })],
    ] as const) {
      const a = await post(path, make(known));
      const b = await post(path, make(unknown));
      expect(a, path).toEqual(b);
    }

    // Timing: a login for an unknown email still pays for a password hash check.
    const samples = { known: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < 5; i++) {
      samples.known.push(await timed(() => post('auth.login', { email: known, password: 'wrong password' })));
      samples.unknown.push(await timed(() => post('auth.login', { email: unknown, password: 'wrong password' })));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[2]!;
    const ratio = median(samples.unknown) / median(samples.known);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('refuses forged and wrong access tokens: alg none, wrong key, iss, aud, typ, expired, refresh-as-access', async () => {
    const server = getServer();
    const account = await createAccount(server, {}, getCodes());
    const key = new TextEncoder().encode(server.deps.config.jwtSecret);
    const base = () =>
      new SignJWT({ sid: 'x' })
        .setSubject(account.user.id)
        .setJti(crypto.randomUUID())
        .setIssuedAt()
        .setExpirationTime('10m');
    const forged = {
      none: new UnsecuredJWT({ sid: 'x' }).setSubject(account.user.id).setIssuer('youngchat').setAudience('youngchat-api').encode(),
      wrongKey: await base().setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setIssuer('youngchat').setAudience('youngchat-api').sign(new TextEncoder().encode('x'.repeat(48))),
      wrongIss: await base().setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setIssuer('evil').setAudience('youngchat-api').sign(key),
      wrongAud: await base().setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setIssuer('youngchat').setAudience('other').sign(key),
      wrongTyp: await base().setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer('youngchat').setAudience('youngchat-api').sign(key),
      expired: await base().setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setIssuer('youngchat').setAudience('youngchat-api').setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(key),
      refreshAsAccess: account.refreshToken!,
    };
    for (const [name, token] of Object.entries(forged)) {
      const res = await fetch(`${server.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, name).toBe(401);
      expect(((await res.json()) as { error: { data: { appCode: string } } }).error.data.appCode, name).toBe('UNAUTHORIZED');
    }
  });

  it('rotates refresh tokens; replaying a rotated one ends the whole sign-in', async () => {
    const server = getServer();
    const account = await createAccount(server, {}, getCodes());
    const api = fromIp(server, freshIp());
    const second = await api.auth.refresh.mutate({ refreshToken: account.refreshToken! });
    expect(second.refreshToken).not.toBe(account.refreshToken);
    expect(await fromIp(server, freshIp(), second.accessToken).auth.me.query()).toMatchObject({ id: account.user.id });

    expect(await appCodeOf(api.auth.refresh.mutate({ refreshToken: account.refreshToken! }))).toBe('SESSION_EXPIRED');
    // The family is revoked: the newest refresh token and the access tokens of this sign-in stop working.
    expect(await appCodeOf(api.auth.refresh.mutate({ refreshToken: second.refreshToken! }))).toBe('SESSION_EXPIRED');
    expect(await appCodeOf(fromIp(server, freshIp(), second.accessToken).auth.me.query())).toBe('UNAUTHORIZED');
  });

  it('logout refuses the access token at once, ends the refresh family and closes the user’s sockets', async () => {
    const server = getServer();
    const account = await createAccount(server, {}, getCodes());
    // A raw socket speaking tRPC's protocol, so the test sees the server's close code itself.
    const ws = new WebSocket(`${server.wsUrl}?connectionParams=1`);
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ method: 'connectionParams', data: { accessToken: account.accessToken } }));
    const answered = new Promise((resolve) => ws.once('message', resolve));
    ws.send(JSON.stringify({ id: 1, method: 'query', params: { path: 'auth.me' } }));
    await answered;
    expect(server.deps.connections.countFor(account.user.id)).toBe(1);
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));

    await fromIp(server, freshIp(), account.accessToken).auth.logout.mutate();
    expect(await closed).toBe(4401);
    expect(await appCodeOf(fromIp(server, freshIp(), account.accessToken).auth.me.query())).toBe('UNAUTHORIZED');
    expect(await appCodeOf(fromIp(server, freshIp()).auth.refresh.mutate({ refreshToken: account.refreshToken! }))).toBe('SESSION_EXPIRED');
  });

  it('throttles password guessing from one IP while the owner still signs in from theirs', async () => {
    const server = getServer();
    const account = await createAccount(server, {}, getCodes());
    const attacker = fromIp(server, freshIp());
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 8; i++) {
      codes.push(await appCodeOf(attacker.auth.login.mutate({ email: account.user.email!, password: `guess number ${i}` })));
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('INVALID_CREDENTIALS'));
    expect(codes.slice(5)).toEqual(Array(3).fill('RATE_LIMITED'));
    // Even the right password is refused from the attacking IP during the pause…
    expect(await appCodeOf(attacker.auth.login.mutate({ email: account.user.email!, password: account.password }))).toBe('RATE_LIMITED');
    // …but the owner, elsewhere, gets in.
    const owner = await fromIp(server, freshIp()).auth.login.mutate({ email: account.user.email!, password: account.password, session: 'token' });
    expect(owner.user.id).toBe(account.user.id);
  });
}

describe('accounts, embedded mode', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TRUST_PROXY: 'true', PUBLIC_URL: 'http://chat.example.test' });
  });
  afterAll(() => server?.close());

  accountSuite(() => server, () => outboxCodes(server));

  describe('cookie sessions (the SPA)', () => {
    const origin = 'http://chat.example.test';

    async function cookieLogin() {
      const account = await createAccount(server);
      const res = await fetch(`${server.url}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin, 'x-forwarded-for': freshIp() },
        body: JSON.stringify({ email: account.user.email, password: account.password }),
      });
      expect(res.status).toBe(200);
      const setCookie = res.headers.getSetCookie();
      const body = (await res.json()) as { result: { data: Record<string, unknown> } };
      return { account, setCookie, body: body.result.data, cookie: setCookie[0]!.split(';')[0]! };
    }

    it('refuses a cookie session in a streamed batch up front (its headers are gone), and keeps token sessions working there', async () => {
      const account = await createAccount(server);
      const streamed = (path: string, input: unknown, headers: Record<string, string> = {}) =>
        fetch(`${server.url}/trpc/${path}?batch=1`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'trpc-accept': 'application/jsonl', origin, 'x-forwarded-for': freshIp(), ...headers },
          body: JSON.stringify({ 0: input }),
        }).then((res) => res.text());
      const before = (await fromIp(server, freshIp(), account.accessToken).auth.sessions.query()).length;
      // Found by the fuzz test: the cookie could not be set any more, and the answer was INTERNAL with a session made.
      const cookieMode = await streamed('auth.login', { email: account.user.email, password: account.password });
      expect(cookieMode).toContain('"appCode":"BAD_INPUT"');
      expect((await fromIp(server, freshIp(), account.accessToken).auth.sessions.query()).length).toBe(before);
      const tokenMode = await streamed('auth.login', { email: account.user.email, password: account.password, session: 'token' });
      expect(tokenMode).toContain('"refreshToken"');
      const refreshed = await streamed('auth.refresh', {}, { cookie: 'yc_rt=whatever' });
      expect(refreshed).toContain('"appCode":"BAD_INPUT"');
      expect(server.logs.lines.filter((l) => l.msg === 'call failed')).toEqual([]);
    });

    it('puts the refresh token only in an HttpOnly, SameSite=Strict cookie', async () => {
      const { setCookie, body } = await cookieLogin();
      expect(setCookie).toHaveLength(1);
      expect(setCookie[0]).toMatch(/^yc_rt=[A-Za-z0-9_-]{43}; Max-Age=\d+; Path=\/trpc; HttpOnly; SameSite=Strict$/);
      expect(body).not.toHaveProperty('refreshToken');
      expect(body.accessToken).toEqual(expect.any(String));
    });

    it('refreshes from the cookie for our own origin, and refuses other origins without changing anything', async () => {
      const { cookie } = await cookieLogin();
      const refresh = (headers: Record<string, string>) =>
        fetch(`${server.url}/trpc/auth.refresh`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'x-forwarded-for': freshIp(), ...headers },
          body: '{}',
        });
      for (const headers of [{ origin: 'https://evil.example' }, {}] as Record<string, string>[]) {
        const res = await refresh(headers);
        expect(res.status).toBe(403);
        expect(res.headers.getSetCookie()).toEqual([]);
      }
      // Nothing changed: the same cookie still works from our origin, exactly once.
      const ok = await refresh({ origin });
      expect(ok.status).toBe(200);
      expect(ok.headers.getSetCookie()[0]).toMatch(/^yc_rt=/);
      const replay = await refresh({ origin });
      expect(replay.status).toBe(401);
    });
  });
});

await describeWithServices('accounts, real services (PostgreSQL, Redis, RabbitMQ, SMTP)', ['postgres', 'redis', 'rabbitmq'], () => {
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let cleanup: () => Promise<void>;
  let prefix: string;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    const real = await realServicesEnv();
    cleanup = real.cleanup;
    prefix = real.env.REDIS_KEY_PREFIX!;
    server = await startTestServer({ ...real.env, SMTP_URL: smtp.url, TRUST_PROXY: 'true' });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
    await cleanup?.();
  });

  const smtpCodes: CodeReader = async (to) => (await textsTo(smtp.received, to)).at(-1)?.match(/\b(\d{6})\b/)?.[1];
  accountSuite(() => server, () => smtpCodes);

  it('gives every Redis key it writes a TTL', async () => {
    await createAccount(server, {}, smtpCodes);
    const redis = new Redis(SERVICES.redis);
    try {
      const keys = await redis.keys(`${prefix}*`);
      expect(keys.length).toBeGreaterThan(5);
      for (const key of keys) expect(await redis.pttl(key), key).toBeGreaterThan(0);
    } finally {
      await redis.quit();
    }
  });

  it('stores nothing of a pending sign-up in PostgreSQL', async () => {
    const address = email('pending');
    await fromIp(server, freshIp()).auth.signUp.mutate({ email: address, password: 'a long enough secret', nickname: 'p' });
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from users where email = ${address}`.execute(server.deps.database.db);
    expect(rows[0]!.n).toBe(0);
  });
});
