import { randomUUID } from 'node:crypto';
import type { Session } from '@youngchat/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appCodeOf, createAccount, httpClient, waitForCode, outboxCodes } from './clients.ts';
import { startTestServer, type TestServer } from './harness.ts';
import { listen } from './streams.ts';
import { until } from './wait.ts';

/** Account life (issue 9): forgotten and changed passwords, signed-in devices, leaving for good, one's data. */
describe('account life', () => {
  let server: TestServer;
  const as = (s: Pick<Session, 'accessToken'>, userAgent = 'test') =>
    httpClient(server, { accessToken: s.accessToken, headers: { 'user-agent': userAgent } });
  const anon = (userAgent = 'test') => httpClient(server, { headers: { 'user-agent': userAgent } });
  const login = (email: string, password: string, userAgent = 'test') =>
    anon(userAgent).auth.login.mutate({ email, password, session: 'token' });
  /** The newest code mailed to `email` that is not `notThis`. */
  async function nextCode(email: string, notThis?: string): Promise<string> {
    const read = outboxCodes(server);
    await until(async () => ((await read(email)) ?? notThis) !== notThis, 5_000);
    return waitForCode(read, email);
  }

  beforeAll(async () => {
    server = await startTestServer({ ACCOUNT_EMAIL_GRACE_DAYS: '0' });
  });
  afterAll(() => server?.close());

  it('resets a forgotten password by emailed code: same answer for unknown emails, code used once, every other sign-in ends', async () => {
    const ann = await createAccount(server, { nickname: 'Ann' });
    const email = ann.user.email!;
    const elsewhere = listen(server, ann, 'ws');
    await elsewhere.ready;
    const signupCode = await waitForCode(outboxCodes(server), email);

    const known = await anon().auth.requestPasswordReset.mutate({ email });
    const unknown = await anon().auth.requestPasswordReset.mutate({ email: `nobody.${randomUUID()}@example.com` });
    expect(unknown).toEqual(known);
    const code = await nextCode(email, signupCode);
    // A sign-up code never resets a password; wrong guesses are counted.
    const wrong = code === '000000' ? '000001' : '000000';
    expect(await appCodeOf(anon().auth.resetPassword.mutate({ email, code: wrong, newPassword: 'a brand new secret' }))).toBe('INVALID_CODE');
    expect(await appCodeOf(anon().auth.resetPassword.mutate({ email, code, newPassword: 'password' }))).toBe('PASSWORD_TOO_COMMON');

    const session = await anon().auth.resetPassword.mutate({ email, code, newPassword: 'a brand new secret', session: 'token' });
    expect(session.user.id).toBe(ann.user.id);
    expect(await appCodeOf(anon().auth.resetPassword.mutate({ email, code, newPassword: 'another new secret' }))).toBe('INVALID_CODE');
    expect(await appCodeOf(login(email, ann.password))).toBe('INVALID_CREDENTIALS');
    expect((await login(email, 'a brand new secret')).user.id).toBe(ann.user.id);
    // The sign-in from before the reset is over: its tokens, its refresh token and its socket.
    expect(await appCodeOf(as(ann).auth.me.query())).toBe('UNAUTHORIZED');
    expect(await appCodeOf(anon().auth.refresh.mutate({ refreshToken: ann.refreshToken! }))).toBe('SESSION_EXPIRED');
    await until(() => server.deps.connections.socketsOf(ann.user.id).length === 0, 5_000);
    expect((await as(session).auth.me.query()).id).toBe(ann.user.id);
    elsewhere.close();
  });

  it('kills a reset code after 5 wrong guesses', async () => {
    const bea = await createAccount(server, { nickname: 'Bea' });
    const email = bea.user.email!;
    const signupCode = await waitForCode(outboxCodes(server), email);
    await anon().auth.requestPasswordReset.mutate({ email });
    const code = await nextCode(email, signupCode);
    const wrong = (i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) {
      expect(await appCodeOf(anon().auth.resetPassword.mutate({ email, code: wrong(i), newPassword: 'a brand new secret' }))).toBe('INVALID_CODE');
    }
    expect(await appCodeOf(anon().auth.resetPassword.mutate({ email, code, newPassword: 'a brand new secret' }))).toBe('INVALID_CODE');
  });

  it('lists signed-in devices, signs one out, changes the password (others end, this one stays), and signs out everywhere', async () => {
    const cy = await createAccount(server, { nickname: 'Cy' });
    const email = cy.user.email!;
    const laptop = await login(email, cy.password, 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0');
    const phone = await login(email, cy.password, 'Mozilla/5.0 (iPhone) Safari/605.1.15');
    const devices = await as(laptop).auth.sessions.query();
    expect(devices).toHaveLength(3);
    expect(devices.filter((d) => d.current)).toHaveLength(1);
    expect(devices.find((d) => d.current)?.userAgent).toContain('Firefox');
    expect(devices.every((d) => d.place === '127.0.*' && Date.parse(d.lastActiveAt) > 0)).toBe(true);

    // Signing out the phone, from the laptop.
    const phoneId = (await as(phone).auth.sessions.query()).find((d) => d.current)!.id;
    await as(laptop).auth.revokeSession.mutate({ sessionId: phoneId });
    expect(await appCodeOf(as(phone).auth.me.query())).toBe('UNAUTHORIZED');
    expect(await appCodeOf(anon().auth.refresh.mutate({ refreshToken: phone.refreshToken! }))).toBe('SESSION_EXPIRED');
    expect(await appCodeOf(as(laptop).auth.revokeSession.mutate({ sessionId: phoneId }))).toBe('NOT_FOUND');
    const someoneElse = await createAccount(server, { nickname: 'Dot' });
    const theirs = (await as(someoneElse).auth.sessions.query())[0]!.id;
    expect(await appCodeOf(as(laptop).auth.revokeSession.mutate({ sessionId: theirs }))).toBe('NOT_FOUND');
    expect((await as(someoneElse).auth.me.query()).id).toBe(someoneElse.user.id);

    // A new password needs the current one; the other sign-ins end, this one goes on.
    expect(await appCodeOf(as(laptop).auth.changePassword.mutate({ currentPassword: 'not it', newPassword: 'a changed secret' }))).toBe('INVALID_CREDENTIALS');
    await as(laptop).auth.changePassword.mutate({ currentPassword: cy.password, newPassword: 'a changed secret' });
    expect(await appCodeOf(as(cy).auth.me.query())).toBe('UNAUTHORIZED');
    expect((await as(laptop).auth.me.query()).id).toBe(cy.user.id);
    expect((await as(laptop).auth.sessions.query()).map((d) => d.current)).toEqual([true]);
    expect(await appCodeOf(login(email, cy.password))).toBe('INVALID_CREDENTIALS');

    const again = await login(email, 'a changed secret');
    await as(again).auth.logoutEverywhere.mutate();
    expect(await appCodeOf(as(again).auth.me.query())).toBe('UNAUTHORIZED');
    expect(await appCodeOf(as(laptop).auth.me.query())).toBe('UNAUTHORIZED');
  });

  it('deletes an account: messages stay from a deleted user, profile and sessions go, the email comes free after the grace period', async () => {
    const [eve, fay] = await Promise.all([createAccount(server, { nickname: 'Eve' }), createAccount(server, { nickname: 'Fay' })]);
    const room = await as(eve).rooms.createGroup.mutate({ name: 'Goodbye', memberIds: [fay.user.id] });
    await as(eve).messages.send.mutate({ roomId: room.id, body: 'I am off', clientId: randomUUID() });

    // Her data first.
    const data = await as(eve).account.export.query();
    expect(data.profile).toMatchObject({ id: eve.user.id, email: eve.user.email, nickname: 'Eve' });
    expect(data.rooms.map((r) => r.name)).toEqual(['Goodbye']);
    expect(data.messages.map((m) => m.body)).toEqual(['I am off']);

    expect(await appCodeOf(as(eve).account.delete.mutate({ password: 'not it' }))).toBe('INVALID_CREDENTIALS');
    await as(eve).account.delete.mutate({ password: eve.password });
    expect(await appCodeOf(as(eve).auth.me.query())).toBe('UNAUTHORIZED');
    expect(await appCodeOf(login(eve.user.email!, eve.password))).toBe('INVALID_CREDENTIALS');
    // Fay still reads what Eve said, from a deleted user who is no longer in the room.
    const history = await as(fay).messages.list.query({ roomId: room.id });
    expect(history.items.map((m) => [m.body, m.senderId])).toEqual([['I am off', eve.user.id]]);
    expect((await as(fay).rooms.get.query({ roomId: room.id })).members.map((m) => m.nickname)).toEqual(['Fay']);
    expect(await as(fay).profile.get.query({ userId: eve.user.id })).toEqual({ id: eve.user.id, nickname: '', statusMessage: '', avatarUrl: null, deleted: true });
    expect(await as(fay).users.search.query({ query: 'Eve' })).toEqual([]);

    // With no grace period configured here, the email is free at the next round.
    expect(await server.deps.services.account.releaseEmails()).toBeGreaterThanOrEqual(1);
    const reborn = await createAccount(server, { email: eve.user.email!, nickname: 'Eve again' });
    expect(reborn.user.id).not.toBe(eve.user.id);
  });
});
