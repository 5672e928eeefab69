/**
 * Fuzzing every procedure of the AppRouter, over HTTP and over WebSocket, with generated input sent raw (not through
 * the typed client, so shapes the types forbid go out too): arbitrary JSON, plausible inputs with one field changed,
 * hostile strings and numbers, broken envelopes, batches, bodies and multipart uploads. Whatever comes, the answer is a
 * success or a 4xx-class refusal that carries `data.appCode`: never a 5xx, never INTERNAL, never a stack trace, never an
 * unhandled rejection or uncaught exception in the server (which runs in this process), never a 'call failed' line in
 * its log. Each property first sends one valid call as each tRPC link sends it, then the generated ones.
 *
 * Seeded and bounded: FUZZ_SEED (default 8) replays a run, FUZZ_RUNS (default 60) sets the runs per procedure and
 * transport (each procedure's share is a multiple of it). A failure names the seed and fast-check path, the problem,
 * the request and the answer; a summary of the answers seen is printed at the end.
 */
import { randomUUID } from 'node:crypto';
import { LIMITS, REACTIONS, type Session } from '@youngchat/shared';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { appRouter } from '../src/trpc/app-router.ts';
import { createAccount, httpClient } from './clients.ts';
import { startTestServer, type TestServer } from './harness.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 8);
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
/** Generation and shrinking of one property stop here (a run that found nothing by then passes with fewer runs). */
const PROPERTY_TIME_LIMIT_MS = 25_000;
/** Vitest's per-test timeout for each property, set explicitly: well above the property's own limit. */
const TEST_TIMEOUT_MS = 60_000;
/** A long-poll (events.poll) or a stream (events.live) that is still open after this is fine: it was valid input. */
const LONG_CALL_MS = 300;
/** Any other call must have answered by then. */
const ANSWER_MS = 5_000;
/** The server's own cut-off for HTTP bodies (see server.ts): past it, a reset connection is an answer too. */
const MAX_BODY_BYTES = LIMITS.avatar.maxBytes + 64 * 1024;
const WS_MAX_PAYLOAD = LIMITS.wsMaxPayloadBytes;
/** What a stack trace looks like in an answer. */
const STACK_TRACE = /at .*\.[cm]?[jt]s:\d+|node_modules|"stack"\s*:/;

// ---------------------------------------------------------------------------------------------------------------
// JSON as sent on the wire

/** A JSON token written as given: what JSON allows but JSON.stringify never writes (1e400, -0, 30-digit integers). */
class RawJson {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}
const raw = (text: string) => new RawJson(text);

function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${Array.from(value, toJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${toJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const preview = (text: string, max = 400) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

// ---------------------------------------------------------------------------------------------------------------
// Fixtures: real ids, so that some generated input reaches the services and the database

type Account = Session & { password: string };

interface Fixtures {
  fuzzer: Account;
  other: Account;
  third: Account;
  /**
   * For the procedures that end sign-ins, change passwords or delete accounts: their own sign-ins and accounts, one per
   * transport, made before any fuzzing (the fuzzed auth.login soon uses up the address's login attempts).
   */
  own: Record<'logout' | 'revokeSession' | 'changePassword' | 'logoutEverywhere' | 'delete', Record<TransportName, Account>>;
  /** A sign-in of `other` whose refresh token the fuzzer may spend (and revoke by reuse) without ending its own session. */
  spare: Session;
  sessionIds: string[];
  userIds: string[];
  roomIds: string[];
  messageIds: string[];
  emails: string[];
  cursor: string;
  images: Buffer[];
}

// ---------------------------------------------------------------------------------------------------------------
// Generators

const NASTY_STRINGS = [
  '',
  ' ',
  '   \t ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\ud83dx\ude00',
  '\u202eevil',
  '\u200b',
  '\ufeff',
  '\u0085',
  '\u001b[2J',
  '\r\n',
  '%00',
  '%',
  '\\',
  '"',
  "'; DROP TABLE users; --",
  "' OR '1'='1",
  '$1',
  '${x}',
  '{{x}}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '__proto__',
  'constructor',
  'toString',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '0',
  '1e308',
  'true',
  '🙂',
  '👩‍👩‍👧',
  'İı',
  'ß',
  '\u0301',
  '%E0%A4%A',
  'a@b',
  '@',
  'user@example.com',
  'USER@EXAMPLE.COM ',
];

/** JSON numbers JSON.stringify never writes: JSON.parse reads them as Infinity, -0, 0 or a rounded integer. */
const RAW_NUMBERS = ['1e400', '-1e400', '-0', '-0.0', '1e-400', '1E3', '123456789012345678901234567890', '9007199254740993', '0.1e1', '-9223372036854775809'];

const hugeString = fc
  .tuple(fc.constantFrom('a', 'é', '🙂', '\u0000', '\ud800', ' ', '\\', '"', '\u200b'), fc.constantFrom(257, 4_001, 8_001, 20_000, 70_000))
  .map(([c, n]) => c.repeat(n));

const deepNesting = fc
  .tuple(fc.constantFrom('[', '{"a":'), fc.integer({ min: 50, max: 12_000 }))
  .map(([open, n]) => raw(open.repeat(n) + '1' + (open === '[' ? ']' : '}').repeat(n)));

const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, [], {}, [null], { '': '' }),
  },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_NUMBERS).map(raw) },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deepNesting },
);

/** Anything JSON can say: mostly arbitrary values, deep or huge now and then. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 2, withNullPrototype: true, key: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', '0', '')) }) },
  { weight: 3, arbitrary: weirdValue },
);

/** Free text whose longest valid length is `max`: mostly plausible, sometimes hostile, sometimes just too long. */
const text = (max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: Math.min(max, 40) }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: Math.min(max, 40) }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 1, arbitrary: fc.constantFrom(max, max + 1, max * 2 + 1).map((n) => 'x'.repeat(n)) },
  );

const integer = fc.oneof(
  { weight: 3, arbitrary: fc.nat(100) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.constantFrom(0, 1, -1, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1, 2 ** 53, 1.5, 1e21, -(2 ** 31)) },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_NUMBERS).map(raw) },
  { weight: 1, arbitrary: fc.double() },
);

function idOf(fx: Fixtures, first: string[]) {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...first) },
    { weight: 1, arbitrary: fc.constantFrom(...fx.userIds, ...fx.roomIds, ...fx.messageIds) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.constantFrom(...first).map((id) => id.toUpperCase()) },
    { weight: 1, arbitrary: fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', `{${randomUUID()}}`) },
  );
}

const email = (fx: Fixtures) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...fx.emails) },
    { weight: 2, arbitrary: fc.emailAddress() },
    { weight: 1, arbitrary: fc.constantFrom(...fx.emails).map((e) => ` ${e.toUpperCase()} `) },
    { weight: 1, arbitrary: fc.constantFrom(`${'a'.repeat(250)}@example.com`, 'a@b.c', 'a@localhost', '"a b"@example.com', 'a@[127.0.0.1]', 'a+b@example.com') },
    { weight: 1, arbitrary: text(40) },
  );

const password = (fx: Fixtures) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant(fx.fuzzer.password) },
    { weight: 3, arbitrary: fc.string({ maxLength: 140 }) },
    { weight: 1, arbitrary: fc.constantFrom('password', '12345678', 'correct horse battery staple', 'x'.repeat(128), 'x'.repeat(129), 'pass\u0000word') },
    { weight: 1, arbitrary: text(140) },
  );

const position = (fx: Fixtures) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(fx.cursor) },
    { weight: 2, arbitrary: fc.stringMatching(/^\d{1,15}$/) },
    { weight: 1, arbitrary: fc.constantFrom('0', '999999999999999', '9223372036854775807', '-1', '1.5', ' 1', '01') },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.nat() },
  );

type Fields = Record<string, fc.Arbitrary<unknown>>;
type TransportName = 'http' | 'ws';

interface Spec {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  /** The input's fields, each with mostly plausible values; none when the procedure takes no input. */
  fields?: (fx: Fixtures, session: Account) => Fields;
  /** Runs, as a multiple of RUNS. */
  weight?: number;
  /** Whose session the calls go with (default: the fuzzer's). */
  session?: (fx: Fixtures, transport: TransportName) => Account;
  /** Valid input may keep the call open (a long-poll, a stream). */
  long?: boolean;
  /** Takes multipart FormData over HTTP: a file of at most `maxBytes`, and these text fields beside it. */
  multipart?: { maxBytes: number; fields?: (fx: Fixtures) => fc.Arbitrary<Part[]> };
}

type Part = { name: string; filename?: string; type?: string; data: Buffer };
const textPart = (name: string, value: string): Part => ({ name, data: Buffer.from(value) });

/** Every procedure, read-only ones first and the ones that take away the fixtures (delete, leave, block, logout) last. */
const SPECS: Spec[] = [
  { path: 'system.info', type: 'query', weight: 0.5 },
  { path: 'auth.me', type: 'query', weight: 0.5 },
  { path: 'auth.sessions', type: 'query', weight: 0.5 },
  { path: 'account.export', type: 'query', weight: 0.5 },
  { path: 'auth.signUp', type: 'mutation', fields: (fx) => ({ email: email(fx), password: password(fx), nickname: text(40) }) },
  { path: 'auth.resendCode', type: 'mutation', fields: (fx) => ({ email: email(fx) }) },
  {
    path: 'auth.verifyEmail',
    type: 'mutation',
    fields: (fx) => ({
      email: email(fx),
      code: fc.oneof(fc.stringMatching(/^\d{6}$/), fc.constantFrom(' 123456 ', '１２３４５６', '12345', '1234567', '00000\u0000'), text(8)),
      session: fc.constantFrom<unknown>('cookie', 'token', 'TOKEN', '', null, 1, ['token']),
    }),
  },
  {
    path: 'auth.login',
    type: 'mutation',
    fields: (fx) => ({ email: email(fx), password: password(fx), session: fc.constantFrom<unknown>('cookie', 'token', 'Token', '', null, 0) }),
  },
  {
    path: 'auth.refresh',
    type: 'mutation',
    fields: (fx) => ({
      refreshToken: fc.oneof(
        fc.constant(fx.spare.refreshToken!),
        fc.stringMatching(/^[\w-]{1,200}$/),
        fc.base64String({ maxLength: 60 }),
        fc.constantFrom('x'.repeat(201), fx.fuzzer.accessToken, '', '-', '_'),
        text(30),
      ),
    }),
  },
  { path: 'auth.requestPasswordReset', type: 'mutation', fields: (fx) => ({ email: email(fx) }) },
  {
    path: 'auth.resetPassword',
    type: 'mutation',
    fields: (fx) => ({
      email: email(fx),
      code: fc.oneof(fc.stringMatching(/^\d{6}$/), text(8)),
      newPassword: password(fx),
      session: fc.constantFrom<unknown>('cookie', 'token', 'x', null),
    }),
  },
  { path: 'profile.get', type: 'query', fields: (fx) => ({ userId: idOf(fx, fx.userIds) }) },
  { path: 'profile.update', type: 'mutation', fields: () => ({ nickname: text(40), statusMessage: text(140) }) },
  { path: 'profile.setAvatar', type: 'mutation', multipart: { maxBytes: LIMITS.avatar.maxBytes }, weight: 1.5 },
  { path: 'profile.removeAvatar', type: 'mutation', weight: 0.5 },
  { path: 'users.search', type: 'query', fields: () => ({ query: text(64) }) },
  { path: 'users.blocked', type: 'query', weight: 0.5 },
  { path: 'rooms.list', type: 'query', weight: 0.5 },
  { path: 'rooms.get', type: 'query', fields: (fx) => ({ roomId: idOf(fx, fx.roomIds) }) },
  { path: 'rooms.openDirect', type: 'mutation', fields: (fx) => ({ userId: idOf(fx, fx.userIds) }) },
  {
    path: 'rooms.createGroup',
    type: 'mutation',
    fields: (fx) => ({ name: text(60), memberIds: fc.array(idOf(fx, fx.userIds), { maxLength: 5 }).chain((ids) => fc.constantFrom(ids, [...ids, ...ids], [...ids, ...ids.map((id) => id.toUpperCase())], Array(101).fill(fx.userIds[1]))) }),
  },
  {
    path: 'rooms.invite',
    type: 'mutation',
    fields: (fx) => ({
      roomId: idOf(fx, fx.roomIds),
      userIds: fc.array(idOf(fx, fx.userIds), { maxLength: 5 }).chain((ids) => fc.constantFrom(ids, [...ids, ...ids.map((id) => id.toUpperCase())])),
    }),
  },
  { path: 'rooms.markRead', type: 'mutation', fields: (fx) => ({ roomId: idOf(fx, fx.roomIds), seq: integer }) },
  { path: 'rooms.setTyping', type: 'mutation', fields: (fx) => ({ roomId: idOf(fx, fx.roomIds) }) },
  {
    path: 'messages.list',
    type: 'query',
    fields: (fx) => ({ roomId: idOf(fx, fx.roomIds), cursor: fc.oneof(integer, fc.constant(null)), limit: integer }),
  },
  {
    path: 'messages.send',
    type: 'mutation',
    fields: (fx) => ({ roomId: idOf(fx, fx.roomIds), body: text(4_000), clientId: fc.oneof(fc.uuid(), idOf(fx, fx.messageIds)) }),
  },
  { path: 'messages.edit', type: 'mutation', fields: (fx) => ({ messageId: idOf(fx, fx.messageIds), body: text(4_000) }) },
  {
    path: 'messages.sendPhoto',
    type: 'mutation',
    weight: 1.5,
    multipart: {
      maxBytes: LIMITS.photo.maxBytes,
      fields: (fx) =>
        fc
          .tuple(idOf(fx, fx.roomIds), fc.oneof(fc.uuid(), text(40)), fc.option(text(300)), fc.option(idOf(fx, fx.messageIds)))
          .map(([roomId, clientId, caption, replyToId]) => [
            textPart('roomId', roomId),
            textPart('clientId', clientId),
            ...(caption === null ? [] : [textPart('caption', caption)]),
            ...(replyToId === null ? [] : [textPart('replyToId', replyToId)]),
          ]),
    },
  },
  {
    path: 'messages.react',
    type: 'mutation',
    fields: (fx) => ({ messageId: idOf(fx, fx.messageIds), emoji: fc.oneof(fc.constantFrom(...REACTIONS), text(8)) }),
  },
  {
    path: 'events.poll',
    type: 'query',
    long: true,
    fields: (fx) => ({ after: position(fx), waitMs: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: integer }) }),
  },
  { path: 'events.live', type: 'subscription', long: true, fields: (fx) => ({ lastEventId: position(fx) }) },
  { path: 'messages.delete', type: 'mutation', fields: (fx) => ({ messageId: idOf(fx, fx.messageIds) }) },
  { path: 'rooms.leave', type: 'mutation', fields: (fx) => ({ roomId: idOf(fx, fx.roomIds) }) },
  { path: 'users.block', type: 'mutation', fields: (fx) => ({ userId: idOf(fx, fx.userIds) }) },
  { path: 'users.unblock', type: 'mutation', fields: (fx) => ({ userId: idOf(fx, fx.userIds) }) },
  { path: 'auth.logout', type: 'mutation', weight: 0.5, session: (fx, transport) => fx.own.logout[transport] },
  {
    path: 'auth.revokeSession',
    type: 'mutation',
    session: (fx, transport) => fx.own.revokeSession[transport],
    fields: (fx, session) => ({ sessionId: idOf(fx, [...fx.sessionIds, sidOf(session)]) }),
  },
  {
    path: 'auth.changePassword',
    type: 'mutation',
    session: (fx, transport) => fx.own.changePassword[transport],
    fields: (fx, session) => ({ currentPassword: fc.oneof(fc.constant(session.password), password(fx)), newPassword: password(fx) }),
  },
  { path: 'auth.logoutEverywhere', type: 'mutation', weight: 0.5, session: (fx, transport) => fx.own.logoutEverywhere[transport] },
  {
    path: 'account.delete',
    type: 'mutation',
    session: (fx, transport) => fx.own.delete[transport],
    fields: (fx, session) => ({ password: fc.oneof(fc.constant(session.password), password(fx)) }),
  },
];

/**
 * One valid input per procedure that takes one (by the fixtures' real ids and passwords). Every property starts with it,
 * sent as each kind of tRPC link sends it (streamed batch, batch, single call), before the generated runs: what a valid
 * call does is then tried on every seed, whatever the generated runs happen to reach.
 */
const VALID_INPUTS: Record<string, (fx: Fixtures, session: Account) => unknown> = {
  'auth.signUp': () => ({ email: `example.${Date.now()}@example.com`, password: 'a long enough passphrase', nickname: 'Example' }),
  'auth.resendCode': (fx) => ({ email: fx.fuzzer.user.email }),
  'auth.verifyEmail': (fx) => ({ email: fx.fuzzer.user.email, code: '000000' }),
  'auth.login': (fx) => ({ email: fx.fuzzer.user.email, password: fx.fuzzer.password }),
  'auth.requestPasswordReset': (fx) => ({ email: fx.fuzzer.user.email }),
  'auth.resetPassword': (fx) => ({ email: fx.fuzzer.user.email, code: '000000', newPassword: 'another long passphrase' }),
  'profile.get': (fx) => ({ userId: fx.userIds[1] }),
  'profile.update': () => ({ statusMessage: 'fuzzing' }),
  'users.search': () => ({ query: 'Oth' }),
  'rooms.get': (fx) => ({ roomId: fx.roomIds[0] }),
  'rooms.openDirect': (fx) => ({ userId: fx.userIds[1] }),
  'rooms.createGroup': (fx) => ({ name: 'Example', memberIds: [fx.userIds[1]] }),
  'rooms.invite': (fx) => ({ roomId: fx.roomIds[0], userIds: [fx.userIds[2]] }),
  'rooms.markRead': (fx) => ({ roomId: fx.roomIds[0], seq: 1 }),
  'rooms.setTyping': (fx) => ({ roomId: fx.roomIds[0] }),
  'messages.list': (fx) => ({ roomId: fx.roomIds[0] }),
  'messages.send': (fx) => ({ roomId: fx.roomIds[0], body: 'example', clientId: randomUUID() }),
  'messages.edit': (fx) => ({ messageId: fx.messageIds[0], body: 'edited' }),
  'messages.react': (fx) => ({ messageId: fx.messageIds[0], emoji: '❤️' }),
  'events.poll': () => ({ waitMs: 0 }),
  'events.live': () => ({}),
  'messages.delete': (fx) => ({ messageId: fx.messageIds[1] }),
  'rooms.leave': (fx) => ({ roomId: fx.roomIds[0] }),
  'users.block': (fx) => ({ userId: fx.userIds[2] }),
  'users.unblock': (fx) => ({ userId: fx.userIds[2] }),
  // Another device of the same person (its own sign-in is among the generated ids, and ends the session's runs).
  'auth.revokeSession': (fx) => ({ sessionId: sidOf(fx.spare) }),
  'auth.changePassword': (_fx, session) => ({ currentPassword: session.password, newPassword: 'a brand new passphrase' }),
  'account.delete': (_fx, session) => ({ password: session.password }),
};

/** The sign-in (refresh-token family) an access token belongs to. */
function sidOf(session: Session): string {
  return (JSON.parse(Buffer.from(session.accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { sid: string }).sid;
}

const DROP = Symbol('drop');

/** Plausible objects, the same with one field changed, added or dropped, and anything at all. */
function inputOf(spec: Spec, fx: Fixtures, session: Account): fc.Arbitrary<unknown> {
  const nothing = fc.constantFrom<unknown>(undefined, null, {}, []);
  if (!spec.fields) return fc.oneof({ weight: 3, arbitrary: anyJson }, { weight: 1, arbitrary: nothing });
  const fields = spec.fields(fx, session);
  const keys = Object.keys(fields);
  const plausible = fc.record(fields);
  const partial = fc.record(fields, { requiredKeys: [] });
  const mutated = fc
    .tuple(fc.record(fields), fc.constantFrom(...keys, ...keys, '__proto__', 'extra', 'constructor'), fc.oneof({ weight: 4, arbitrary: anyJson }, { weight: 1, arbitrary: fc.constant(DROP) }))
    .map(([input, key, value]) => {
      const copy: Record<string, unknown> = { ...input };
      if (value === DROP) delete copy[key];
      else Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
      return copy;
    });
  return fc.oneof(
    { weight: 4, arbitrary: plausible },
    { weight: 1, arbitrary: partial },
    { weight: 4, arbitrary: mutated },
    { weight: 2, arbitrary: anyJson },
    { weight: 1, arbitrary: nothing },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Checking answers

/** What is wrong with one tRPC error shape (`{ message, code, data }`), if anything. */
function errorShapeProblems(error: unknown): string[] {
  if (!error || typeof error !== 'object') return [`an error that is not an object: ${preview(String(toJson(error)))}`];
  const { code, data } = error as { code?: unknown; data?: Record<string, unknown> };
  const problems: string[] = [];
  if (typeof data?.appCode !== 'string') problems.push('an error without a data.appCode string');
  if (data?.appCode === 'INTERNAL' || data?.code === 'INTERNAL_SERVER_ERROR' || code === -32603) problems.push('an INTERNAL error');
  if (typeof data?.httpStatus === 'number' && data.httpStatus >= 500) problems.push(`an error with httpStatus ${data.httpStatus}`);
  if (data && 'stack' in data) problems.push('an error with a stack');
  return problems;
}

/** What is wrong with one parsed answer: an envelope (`{ id?, result }` / `{ id?, error }`) or a batch of them. */
function envelopeProblems(answer: unknown): string[] {
  if (Array.isArray(answer)) return answer.flatMap(envelopeProblems);
  if (answer && typeof answer === 'object' && 'error' in answer) return errorShapeProblems((answer as { error: unknown }).error);
  return [];
}

function stackProblems(answerText: string, sentText: string): string[] {
  // An answer may echo what it was sent (a message body, a nickname): a trace there is the fuzzer's own.
  return STACK_TRACE.test(answerText) && !STACK_TRACE.test(sentText) ? [`a stack trace in the answer (${STACK_TRACE.exec(answerText)?.[0]})`] : [];
}

function isAnError(answer: unknown): boolean {
  return Array.isArray(answer) ? answer.some(isAnError) : !!answer && typeof answer === 'object' && 'error' in answer;
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP, raw

interface HttpRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

interface HttpOutcome {
  request: HttpRequest;
  status?: number;
  contentType?: string;
  text?: string;
  /** The request got no answer: the reason. */
  failure?: string;
  /** Still open after LONG_CALL_MS: a long-poll or a stream waiting for events. */
  stillOpen?: boolean;
}

async function httpSend(server: TestServer, request: HttpRequest, long: boolean): Promise<HttpOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), long ? LONG_CALL_MS : ANSWER_MS);
  try {
    const res = await fetch(`${server.url}${request.url}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
      redirect: 'manual',
    });
    const contentType = res.headers.get('content-type') ?? '';
    if (contentType.includes('text/event-stream')) {
      // A stream: read until it says it is connected, or fails, or a moment has passed.
      let text = '';
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (chunk.value) text += decoder.decode(chunk.value, { stream: true });
        if (chunk.done || /event: (connected|serialized-error)/.test(text)) break;
      }
      controller.abort();
      return { request, status: res.status, contentType, text };
    }
    return { request, status: res.status, contentType, text: await res.text() };
  } catch (error) {
    if (controller.signal.aborted && long) return { request, stillOpen: true };
    return { request, failure: String((error as Error & { cause?: unknown }).cause ?? error) };
  } finally {
    clearTimeout(timer);
  }
}

function httpProblems(outcome: HttpOutcome): string[] {
  const { request, status, contentType = '', text = '', failure } = outcome;
  if (outcome.stillOpen) return [];
  const bodyless = request.method === 'HEAD';
  if (failure !== undefined) {
    // Past the body limit the server may answer 413 and close while the body is still being sent.
    return (request.body?.length ?? 0) > MAX_BODY_BYTES ? [] : [`no answer: ${failure}`];
  }
  const sent = `${request.url}\n${request.body?.toString('utf8') ?? ''}`;
  const problems: string[] = [];
  if (status! >= 500) problems.push(`HTTP ${status}`);
  problems.push(...stackProblems(text, sent));
  if (contentType.includes('text/event-stream')) {
    for (const event of text.split('\n\n')) {
      if (!event.includes('event: serialized-error')) continue;
      const data = /^data: (.*)$/m.exec(event)?.[1] ?? '';
      try {
        problems.push(...errorShapeProblems(JSON.parse(data)));
      } catch {
        problems.push(`a stream error that is not JSON: ${preview(data)}`);
      }
    }
    return problems;
  }
  if (request.headers['trpc-accept'] === 'application/jsonl') {
    // A streamed batch: its lines are not plain envelopes; look for what an internal error writes.
    if (/"appCode":"INTERNAL"|INTERNAL_SERVER_ERROR|-32603/.test(text)) problems.push('an INTERNAL error in a streamed answer');
    return problems;
  }
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    // Node's HTTP parser answers a request line or headers past its limits itself (431, 400), before any route runs.
    const fromNodeParser = (status === 431 || status === 400) && text === '' && request.url.length > 8 * 1024;
    if (status! >= 400 && !bodyless && !fromNodeParser) problems.push(`an error answer that is not JSON: ${preview(text)}`);
    return problems;
  }
  problems.push(...envelopeProblems(answer));
  if (status! >= 400 && !isAnError(answer)) problems.push(`HTTP ${status} without an error in the body`);
  return problems;
}

/** A short name for an answer, for the summary: its status and appCodes. */
function httpOutcomeLabel({ status, text = '', failure, stillOpen, contentType = '' }: HttpOutcome): string {
  if (stillOpen) return 'still open';
  if (failure !== undefined) return 'connection closed';
  const codes = new Set<string>();
  for (const match of text.matchAll(/"appCode":"(\w+)"/g)) codes.add(match[1]!);
  const stream = contentType.includes('text/event-stream') ? ' stream' : '';
  return `${status}${stream}${codes.size > 0 ? ` ${[...codes].join('+')}` : ''}`;
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'multipart/form-data; boundary=fuzz',
  'application/jsonx',
  'application/json; charset=utf-16',
  'image/png',
  ';;;',
];

/** Headers that go with a call: the session's token mostly, sometimes none or a broken one; odd cookies and origins. */
function headersOf(fx: Fixtures, server: TestServer, session: Session) {
  const token = session.accessToken;
  const [head, payload, signature] = token.split('.');
  const authorization = fc.oneof(
    { weight: 12, arbitrary: fc.constant(`Bearer ${token}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constantFrom(
          'Bearer',
          'Bearer ',
          `bearer ${token}`,
          `Bearer ${token}x`,
          `Bearer ${head}.${payload}.`,
          `Bearer eyJhbGciOiJub25lIn0.${payload}.`,
          `Bearer ${head}.${Buffer.from('{"sub":"x","sid":1}').toString('base64url')}.${signature}`,
          `Basic ${Buffer.from('a:b').toString('base64')}`,
        ),
        fc.string({ maxLength: 200 }).map((s) => `Bearer ${s}`),
      ),
    },
  );
  const optional = fc.record(
    {
      origin: fc.constantFrom(server.url, 'https://evil.example', 'null', 'http://localhost:5173', '%%%', ''),
      cookie: fc.oneof(
        fc.constantFrom('yc_rt=', 'yc_rt=%E0%A4%A', `yc_rt=${fx.spare.refreshToken}`, 'yc_rt="x', ';;;', 'yc_rt=a; yc_rt=b', `yc_rt=${'a'.repeat(4000)}`),
        fc.string({ maxLength: 100 }),
      ),
      'x-trace-id': fc.string({ maxLength: 80 }),
      'x-forwarded-for': fc.constantFrom('10.0.0.1', 'garbage', '::1, 1.2.3.4'),
    },
    { requiredKeys: [] },
  );
  return fc.tuple(authorization, fc.option(optional, { freq: 2 })).map(([auth, extra]) => {
    const headers: Record<string, string> = { ...(extra ?? {}) };
    if (auth !== undefined) headers.authorization = auth;
    return headers;
  });
}

/** A multipart/form-data body built by hand, so its framing can be wrong too. */
function multipartBody(parts: Part[], boundary: string, close = true): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`, 'utf8'));
    chunks.push(part.data, Buffer.from('\r\n'));
  }
  if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** File signatures of many formats, so the sniffer (file-type) and the decoders see plausible starts. */
const MAGIC = [
  '89504e470d0a1a0a',
  '89504e470d0a1a0a0000000d49484452',
  'ffd8ff',
  'ffd8ffe000104a46494600',
  '474946383961',
  '474946383761',
  '52494646000000005745425056503820',
  '5249464600000000574542505650384c',
  '52494646000000005745425056503858',
  '424d',
  '49492a00',
  '4d4d002a',
  '504b0304',
  '504b030414000000080000000000',
  '255044462d312e',
  '0000001866747970686569630000',
  '000000206674797061766966',
  '00000018667479706d703432',
  '494433',
  '4f676753',
  '1a45dfa3',
  '774f4646',
  '00010000',
  '377abcaf271c',
  '526172211a07',
  '664c6143',
  '3c3f786d6c',
  '3c737667',
  '4d5a',
  '7f454c46',
  '38425053',
  '00000100',
  '464f524d00000000',
  '53514c69746520666f726d6174203300',
  '7b5c727466',
  '2321414d52',
  '676c5446',
  'fffe',
  'feff',
  '1f8b08',
].map((hex) => Buffer.from(hex, 'hex'));

/** An upload as a browser would send it, with the ways its bytes and framing can be wrong; `fields` go before the file. */
function uploadRequest(fx: Fixtures, fields: fc.Arbitrary<Part[]>) {
  const bytes = fc.oneof(
    // A real picture, truncated or with some bytes changed.
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.nat(fx.images.length - 1), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 6 }), fc.option(fc.nat()))
        .map(([index, edits, cut]) => {
          const image = Buffer.from(fx.images[index]!);
          for (const [at, value] of edits) image[at % image.length] = value;
          return cut === null ? image : image.subarray(0, cut % (image.length + 1));
        }),
    },
    // A signature and junk.
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...MAGIC), fc.uint8Array({ maxLength: 2048 }), fc.constantFrom(0, 0, 257))
        .map(([magic, junk, gap]) => Buffer.concat([magic, junk, gap ? Buffer.concat([Buffer.alloc(gap), Buffer.from('ustar')]) : Buffer.alloc(0)])),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b)) },
    { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
  );
  const boundary = fc.oneof({ weight: 4, arbitrary: fc.constant('----fuzzboundary') }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 80 }) });
  const framing = fc.constantFrom('ok', 'ok', 'ok', 'ok', 'ok', 'unclosed', 'other-boundary', 'no-boundary', 'quoted', 'name', 'string', 'two', 'mixed', 'garbage');
  return fc
    .tuple(bytes, boundary, framing, fc.constantFrom('a.png', '', '../../x.png', '\u0000.png', 'a'.repeat(300)), fc.constantFrom('image/png', 'text/html', '', 'application/json'), fields)
    .map(([data, b, frame, filename, type, texts]): { contentType: string; body: Buffer; label: string } => {
      const file = { name: 'file', filename, type, data };
      const withFields = (parts: Part[], boundary: string, close?: boolean) => multipartBody([...texts, ...parts], boundary, close);
      const ct = `multipart/form-data; boundary=${b}`;
      switch (frame) {
        case 'unclosed':
          return { contentType: ct, body: withFields([file], b, false), label: frame };
        case 'other-boundary':
          return { contentType: ct, body: withFields([file], `${b}x`), label: frame };
        case 'no-boundary':
          return { contentType: 'multipart/form-data', body: withFields([file], b), label: frame };
        case 'quoted':
          return { contentType: `multipart/form-data; boundary="${b}"`, body: withFields([file], b), label: frame };
        case 'name':
          return { contentType: ct, body: withFields([{ ...file, name: 'picture' }], b), label: frame };
        case 'string':
          return { contentType: ct, body: withFields([{ name: 'file', data }], b), label: frame };
        case 'two':
          return { contentType: ct, body: withFields([file, { ...file, data: fx.images[0]! }], b), label: frame };
        case 'mixed':
          return { contentType: `multipart/mixed; boundary=${b}`, body: withFields([file], b), label: frame };
        case 'garbage':
          return { contentType: ct, body: data, label: frame };
        default:
          return { contentType: ct, body: withFields([file], b), label: frame };
      }
    });
}

/**
 * The valid input (or none) as httpBatchStreamLink, httpBatchLink and httpLink send it, from the app's own origin and
 * with a refresh cookie, so that the procedures that set or clear the cookie do.
 */
function httpExamples(spec: Spec, fx: Fixtures, server: TestServer, session: Account): HttpRequest[] {
  const value = VALID_INPUTS[spec.path]?.(fx, session);
  const path = `/trpc/${spec.path}`;
  const headers = { authorization: `Bearer ${session.accessToken}`, origin: server.url, cookie: `yc_rt=${fx.spare.refreshToken}` };
  if (spec.multipart) {
    const fields = spec.path === 'messages.sendPhoto' ? [textPart('roomId', fx.roomIds[0]!), textPart('clientId', randomUUID())] : [];
    const body = multipartBody([...fields, { name: 'file', filename: 'a.png', type: 'image/png', data: fx.images[0]! }], 'b');
    return [{ method: 'POST', url: path, headers: { ...headers, 'content-type': 'multipart/form-data; boundary=b' }, body }];
  }
  const batch = toJson(value === undefined ? {} : { 0: value });
  const streamed = { ...headers, 'trpc-accept': 'application/jsonl' };
  if (spec.type !== 'mutation') {
    const single = value === undefined ? path : `${path}?input=${encodeURIComponent(toJson(value))}`;
    return [
      { method: 'GET', url: `${path}?batch=1&input=${encodeURIComponent(batch)}`, headers: streamed },
      { method: 'GET', url: `${path}?batch=1&input=${encodeURIComponent(batch)}`, headers },
      { method: 'GET', url: single, headers },
    ];
  }
  const json = { 'content-type': 'application/json' };
  return [
    { method: 'POST', url: `${path}?batch=1`, headers: { ...json, ...streamed }, body: Buffer.from(batch) },
    { method: 'POST', url: `${path}?batch=1`, headers: { ...json, ...headers }, body: Buffer.from(batch) },
    { method: 'POST', url: path, headers: { ...json, ...headers }, body: Buffer.from(value === undefined ? '' : toJson(value)) },
  ];
}

/** One HTTP request for a procedure: the usual call mostly, and the ways a request can be wrong. */
function httpRequestOf(spec: Spec, fx: Fixtures, server: TestServer, session: Account): fc.Arbitrary<HttpRequest> {
  const input = inputOf(spec, fx, session);
  const headers = headersOf(fx, server, session);
  const path = `/trpc/${spec.path}`;
  const q = (s: string) => encodeURIComponent(s);
  const asGet = spec.type !== 'mutation';
  const maybeInput = (value: unknown) => (value === undefined ? '' : toJson(value));

  const usual = fc.tuple(input, headers).map(([value, h]): HttpRequest => {
    if (asGet) return { method: 'GET', url: value === undefined ? path : `${path}?input=${q(toJson(value))}`, headers: h };
    return { method: 'POST', url: path, headers: { 'content-type': 'application/json', ...h }, body: Buffer.from(maybeInput(value)) };
  });
  const wrongMethod = fc.tuple(input, headers, fc.constantFrom('POST', 'GET', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD')).map(([value, h, other]): HttpRequest => {
    if (other === 'POST' || (asGet && other === 'GET')) {
      return { method: 'POST', url: path, headers: { 'content-type': 'application/json', ...h }, body: Buffer.from(maybeInput(value)) };
    }
    return { method: other, url: `${path}?input=${q(maybeInput(value))}`, headers: h };
  });
  const garbageInput = fc.tuple(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 100 }), fc.boolean(), headers).map(([bytes, str, asBytes, h]): HttpRequest => {
    const encoded = asBytes ? [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('') : q(str);
    if (asGet) return { method: 'GET', url: `${path}?input=${encoded}`, headers: h };
    return { method: 'POST', url: path, headers: { 'content-type': 'application/json', ...h }, body: asBytes ? Buffer.from(bytes) : Buffer.from(str) };
  });
  const contentType = fc.tuple(input, headers, fc.option(fc.constantFrom(...CONTENT_TYPES))).map(([value, h, ct]): HttpRequest => ({
    method: 'POST',
    url: path,
    headers: { ...h, ...(ct === null ? {} : { 'content-type': ct }) },
    body: Buffer.from(maybeInput(value)),
  }));
  const batch = fc
    .tuple(
      fc.integer({ min: 1, max: 3 }),
      fc.array(fc.tuple(fc.oneof(fc.constantFrom('0', '0', '1', '2', '-1', '01', '1.0', 'x', '__proto__', '99999999999', 'length'), fc.string({ maxLength: 3 })), input), {
        minLength: 0,
        maxLength: 3,
      }),
      fc.constantFrom('object', 'object', 'object', 'array', 'scalar'),
      fc.constantFrom('1', '1', '1', 'true', '0', '2', ''),
      fc.constantFrom('', '', ',', ',,', ',system.info', ',nope.nope'),
      headers,
      fc.boolean(),
    )
    .map(([count, entries, shape, flag, tail, h, streamed]): HttpRequest => {
      const paths = Array(count).fill(spec.path).join(',') + tail;
      const object = Object.fromEntries(entries);
      const inputs = shape === 'object' ? toJson(object) : shape === 'array' ? toJson(entries.map(([, v]) => v)) : toJson(entries[0]?.[1] ?? 'x');
      const hh = streamed ? { ...h, 'trpc-accept': 'application/jsonl' } : h;
      if (asGet) return { method: 'GET', url: `/trpc/${paths}?batch=${flag}&input=${q(inputs)}`, headers: hh };
      return { method: 'POST', url: `/trpc/${paths}?batch=${flag}`, headers: { 'content-type': 'application/json', ...hh }, body: Buffer.from(inputs) };
    });
  const connectionParams = fc.tuple(input, headers, anyJson).map(([value, h, params]): HttpRequest => ({
    method: asGet ? 'GET' : 'POST',
    url: `${path}?connectionParams=${q(toJson(params))}${asGet && value !== undefined ? `&input=${q(toJson(value))}` : ''}`,
    headers: asGet ? h : { 'content-type': 'application/json', ...h },
    body: asGet ? undefined : Buffer.from(maybeInput(value)),
  }));
  const huge = fc.tuple(headers, fc.constantFrom(300_000, 1_000_000), fc.constantFrom(12_000, 12_000, 20_000)).map(([h, n, urlLength]): HttpRequest => {
    const body = `{"a":"${'x'.repeat(n)}"}`;
    // Node refuses a request line and headers past 16 KiB itself (431); below that the input reaches tRPC.
    if (asGet) return { method: 'GET', url: `${path}?input=${q(`{"a":"${'x'.repeat(urlLength)}"}`)}`, headers: h };
    return { method: 'POST', url: path, headers: { 'content-type': 'application/json', ...h }, body: Buffer.from(body) };
  });
  const variants: fc.WeightedArbitrary<HttpRequest>[] = [
    { weight: 24, arbitrary: usual },
    { weight: 2, arbitrary: wrongMethod },
    { weight: 2, arbitrary: garbageInput },
    { weight: 3, arbitrary: batch },
    { weight: 2, arbitrary: connectionParams },
    { weight: 1, arbitrary: huge },
  ];
  if (!asGet) variants.push({ weight: 2, arbitrary: contentType });
  if (spec.multipart) {
    const { maxBytes, fields = () => fc.constant([]) } = spec.multipart;
    const multipart = fc.tuple(uploadRequest(fx, fields(fx)), headers).map(([m, h]): HttpRequest => ({ method: 'POST', url: path, headers: { ...h, 'content-type': m.contentType }, body: m.body }));
    // Past the picture limit (the service refuses it), and past the body limit (the HTTP handler cuts it off).
    const oversize = fc.tuple(headers, fc.constantFrom(1, 128 * 1024)).map(([h, extra]): HttpRequest => {
      const data = Buffer.concat([MAGIC[0]!, Buffer.alloc(maxBytes + extra)]);
      const body = multipartBody([{ name: 'file', filename: 'big.png', type: 'image/png', data }], 'b');
      return { method: 'POST', url: path, headers: { ...h, 'content-type': 'multipart/form-data; boundary=b' }, body };
    });
    variants.push({ weight: 60, arbitrary: multipart }, { weight: 2, arbitrary: oversize });
  } else {
    // FormData where JSON is expected.
    const multipart = fc.tuple(uploadRequest(fx, fc.constant([])), headers).map(([m, h]): HttpRequest => ({ method: 'POST', url: path, headers: { ...h, 'content-type': m.contentType }, body: m.body }));
    variants.push({ weight: 2, arbitrary: multipart });
  }
  return fc.oneof(...variants);
}

// ---------------------------------------------------------------------------------------------------------------
// WebSocket, raw

const ALLOWED_CLOSE = new Set([1000, 1001, 1005, 1009]);

/** One frame sent, and what the fuzzer waits for before the next. */
interface WsSend {
  frame: string | Buffer;
  /** Ids of the calls in it, whose answers are awaited (none: wait briefly for whatever comes). */
  ids: (string | number)[];
  /** Subscriptions it starts, to stop once started. */
  subscriptionIds: (string | number)[];
  long: boolean;
  /** Where it goes: the session's socket, an anonymous one, or a fresh one with these connectionParams. */
  socket: 'session' | 'anonymous' | { connectionParams: unknown };
}

let nextId = 1;

/** A raw socket speaking tRPC's protocol; it checks every frame it receives and reopens when the server closed it. */
class FuzzSocket {
  private ws: WebSocket | undefined;
  private frames: unknown[] = [];
  private listeners = new Set<() => void>();
  private closedByUs = new WeakSet<WebSocket>();
  private lastClose: number | undefined;
  constructor(
    private readonly server: TestServer,
    private readonly connectionParams: unknown,
    private readonly report: (problem: string) => void,
    private readonly sentFrames: Map<string | number, string>,
  ) {}

  async open(): Promise<WebSocket> {
    if (this.ws?.readyState === WebSocket.OPEN) return this.ws;
    const withParams = this.connectionParams !== undefined;
    const ws = new WebSocket(withParams ? `${this.server.wsUrl}?connectionParams=1` : this.server.wsUrl);
    ws.on('message', (data) => {
      const textOf = data.toString();
      let json: unknown = textOf;
      try {
        json = JSON.parse(textOf);
      } catch {
        if (textOf !== 'PONG' && textOf !== 'PING') this.report(`a frame that is not JSON: ${preview(textOf)}`);
      }
      const id = (json as { id?: string | number } | null)?.id;
      const sent = id === undefined || id === null ? '' : (this.sentFrames.get(id) ?? '');
      const problems = [...envelopeProblems(json), ...stackProblems(textOf, sent)];
      for (const problem of problems) this.report(`${problem}: ${preview(textOf)}${sent ? `\n  in answer to: ${preview(sent)}` : ''}`);
      this.frames.push(json);
      for (const listener of this.listeners) listener();
    });
    ws.on('close', (code) => {
      this.lastClose = code;
      if (!this.closedByUs.has(ws) && !ALLOWED_CLOSE.has(code) && !(code >= 4000 && code < 5000)) this.report(`the server closed a socket with code ${code}`);
      for (const listener of this.listeners) listener();
    });
    ws.on('error', () => {}); // a refused or reset socket shows up as its close
    await new Promise<void>((resolve) => {
      ws.once('open', () => resolve());
      ws.once('close', () => resolve());
    });
    if (withParams && ws.readyState === WebSocket.OPEN) ws.send(toJson({ method: 'connectionParams', data: this.connectionParams }));
    this.ws = ws;
    return ws;
  }

  /** Sends one frame and waits for the answers to its calls, for the socket to close, or for time to run out. */
  async exchange(send: WsSend): Promise<string> {
    const ws = await this.open();
    if (ws.readyState !== WebSocket.OPEN) return `closed ${this.lastClose}`;
    const from = this.frames.length;
    const answered = (id: string | number) => this.frames.slice(from).some((f) => (f as { id?: unknown } | null)?.id === id);
    const done = () =>
      ws.readyState !== WebSocket.OPEN ||
      (send.ids.length > 0
        ? send.ids.every(answered) || this.frames.slice(from).some((f) => (f as { id?: unknown } | null)?.id === null)
        : this.frames.length > from);
    const timeout = send.ids.length === 0 ? 100 : send.long ? LONG_CALL_MS : ANSWER_MS;
    let timedOut = false;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (!done()) return;
        this.listeners.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        timedOut = true;
        this.listeners.delete(check);
        resolve();
      }, timeout);
      this.listeners.add(check);
      ws.send(send.frame, (error) => {
        if (error) check();
      });
    });
    for (const id of send.subscriptionIds) {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ id, method: 'subscription.stop' }));
    }
    const tooBig = Buffer.byteLength(send.frame) > WS_MAX_PAYLOAD;
    if (timedOut && send.ids.length > 0 && !send.long && !tooBig) {
      this.report(`no answer within ${ANSWER_MS} ms to: ${preview(String(send.frame))}`);
    }
    const answer = this.frames.slice(from).find((f) => {
      const frameId = (f as { id?: unknown } | null)?.id;
      return frameId === null || send.ids.includes(frameId as string | number);
    }) as { error?: { data?: { appCode?: string } }; result?: { type?: string } } | undefined;
    if (answer?.error) return `error ${answer.error.data?.appCode}`;
    if (answer?.result) return `ok ${answer.result.type}`;
    if (ws.readyState !== WebSocket.OPEN) return `closed ${this.lastClose}`;
    if (timedOut) return send.ids.length === 0 ? (this.frames.length > from ? 'other frame' : 'silent') : 'still open';
    return 'other frame';
  }

  close(): void {
    if (!this.ws) return;
    this.closedByUs.add(this.ws);
    this.ws.close();
  }
}

/** The valid input (or none) as wsLink sends it. */
function wsExample(spec: Spec, fx: Fixtures, session: Account): WsSend {
  const id = nextId++;
  const value = VALID_INPUTS[spec.path]?.(fx, session);
  const message = { id, method: spec.type, params: value === undefined ? { path: spec.path } : { path: spec.path, input: value } };
  return { frame: toJson(message), ids: [id], subscriptionIds: spec.type === 'subscription' ? [id] : [], long: !!spec.long, socket: 'session' };
}

function wsSendOf(spec: Spec, fx: Fixtures, session: Account): fc.Arbitrary<WsSend> {
  const input = inputOf(spec, fx, session);
  const method = spec.type;
  const id = () => nextId++;
  const call = (value: unknown, m: string = method, extra: Record<string, unknown> = {}) => {
    const callId = id();
    const params: Record<string, unknown> = { path: spec.path };
    if (value !== undefined) params.input = value;
    return { callId, message: { id: callId, method: m, params, ...extra } };
  };
  const one = (value: unknown, m: string, extra: Record<string, unknown>, socket: WsSend['socket']): WsSend => {
    const { callId, message } = call(value, m, extra);
    return { frame: toJson(message), ids: [callId], subscriptionIds: m === 'subscription' ? [callId] : [], long: !!spec.long, socket };
  };
  const usual = fc
    .tuple(input, fc.constantFrom<Record<string, unknown>>({}, {}, {}, { jsonrpc: '2.0' }, { jsonrpc: 2 }, { params: undefined }))
    .map(([value, extra]) => one(value, method, extra, 'session'));
  const otherSocket = fc
    .tuple(input, fc.oneof(fc.constant<WsSend['socket']>('anonymous'), anyJson.map((params): WsSend['socket'] => ({ connectionParams: params }))))
    .map(([value, socket]) => one(value, method, {}, socket));
  const wrongMethod = fc
    .tuple(input, fc.constantFrom('query', 'mutation', 'subscription', 'subscription.stop', 'connectionParams', 'QUERY', ''))
    .map(([value, m]) => {
      const sent = one(value, m, {}, 'session');
      // Stopping a subscription that is not running, or sending connectionParams again, gets no answer: nothing to await.
      return m === 'subscription.stop' || m === 'connectionParams' ? { ...sent, ids: [], subscriptionIds: [] } : sent;
    });
  const lastEventId = fc.tuple(input, position(fx)).map(([value, last]) => one(value, method, { lastEventId: last }, 'session'));
  const array = fc.array(input, { minLength: 0, maxLength: 3 }).map((values): WsSend => {
    const calls = values.map((v) => call(v));
    return {
      frame: toJson(calls.map((c) => c.message)),
      ids: calls.map((c) => c.callId),
      subscriptionIds: method === 'subscription' ? calls.map((c) => c.callId) : [],
      long: !!spec.long,
      socket: 'session',
    };
  });
  const oddEnvelope = fc
    .tuple(input, anyJson, fc.constantFrom('id', 'params', 'path', 'input-and-path', 'whole'))
    .map(([value, junk, where]): WsSend => {
      const { callId, message } = call(value);
      const frame: Record<string, unknown> = { ...message };
      if (where === 'id') frame.id = junk;
      if (where === 'params') frame.params = junk;
      if (where === 'path') frame.params = { path: junk, input: value };
      if (where === 'input-and-path') frame.params = { path: `${spec.path}${String(toJson(junk)).slice(0, 20)}`, input: value };
      const whole = where === 'whole' ? junk : frame;
      const waitFor = where === 'id' || where === 'whole' ? [] : [callId];
      return { frame: toJson(whole), ids: waitFor, subscriptionIds: waitFor, long: !!spec.long, socket: 'session' };
    });
  const garbage = fc
    .oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom('PING', 'PONG', '', '{', '[]', 'null', '{"id":1}', '\u0000', '[[[[[[[['),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    )
    .map((frame): WsSend => ({ frame, ids: [], subscriptionIds: [], long: false, socket: 'session' }));
  const tooBig = fc.constant<WsSend>({ frame: toJson({ id: 0, method, params: { path: spec.path, input: 'x'.repeat(WS_MAX_PAYLOAD) } }), ids: [0], subscriptionIds: [], long: false, socket: 'session' });
  return fc.oneof(
    { weight: 16, arbitrary: usual },
    { weight: 2, arbitrary: otherSocket },
    { weight: 1, arbitrary: wrongMethod },
    { weight: 1, arbitrary: lastEventId },
    { weight: 1, arbitrary: array },
    { weight: 1, arbitrary: oddEnvelope },
    { weight: 1, arbitrary: garbage },
    { weight: 1, arbitrary: tooBig },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The run

describe('fuzz: every procedure refuses bad input with a 4xx answer, over HTTP and WebSocket', () => {
  let server: TestServer;
  let fx: Fixtures;
  const processErrors: string[] = [];
  const onUnhandledRejection = (reason: unknown) => processErrors.push(`unhandledRejection: ${(reason as Error)?.stack ?? String(reason)}`);
  const onUncaughtException = (error: Error) => processErrors.push(`uncaughtException: ${error?.stack ?? String(error)}`);
  const coverage: string[] = [];

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandledRejection);
    process.on('uncaughtException', onUncaughtException);
    // Many held long-polls must not push the fuzzer's own socket out (MAX_CONNECTIONS_PER_USER), nor sends be metered.
    server = await startTestServer({ MESSAGES_PER_MINUTE: '100000', MAX_CONNECTIONS_PER_USER: '10000' });
    // Eight of the ten sign-ups an address may make in an hour: the fuzzed auth.signUp meets RATE_LIMITED soon.
    const make = (nickname: string) => createAccount(server, { nickname });
    const [fuzzer, other, third, passwordHttp, passwordWs, everywhereWs, goneHttp, goneWs] = await Promise.all([
      make('Fuzzer'),
      make('Other'),
      make('Third'),
      make('Password HTTP'),
      make('Password WS'),
      make('Everywhere WS'),
      make('Gone HTTP'),
      make('Gone WS'),
    ]);
    const login = async (account: Account): Promise<Account> => ({
      ...(await httpClient(server).auth.login.mutate({ email: account.user.email!, password: account.password, session: 'token' })),
      password: account.password,
    });
    const [spare, logoutHttp, logoutWs, revokeHttp, revokeWs] = await Promise.all([login(other), login(other), login(other), login(other), login(other)]);
    const as = (s: Session) => httpClient(server, { accessToken: s.accessToken });
    const group = await as(fuzzer).rooms.createGroup.mutate({ name: 'Fuzz room', memberIds: [other.user.id, third.user.id] });
    const direct = await as(fuzzer).rooms.openDirect.mutate({ userId: other.user.id });
    // A room the fuzzer is not in.
    const elsewhere = await as(other).rooms.createGroup.mutate({ name: 'Elsewhere', memberIds: [third.user.id] });
    const send = (s: Session, roomId: string, body: string) => as(s).messages.send.mutate({ roomId, body, clientId: randomUUID() });
    const messages = [
      await send(fuzzer, group.id, 'hello'),
      await send(fuzzer, group.id, 'again'),
      await send(other, group.id, 'hi'),
      await send(fuzzer, direct.id, 'psst'),
      await send(other, elsewhere.id, 'not for the fuzzer'),
    ];
    const { cursor } = await as(fuzzer).events.poll.query({ waitMs: 0 });
    const picture = sharp({ create: { width: 4, height: 3, channels: 3, background: '#3366cc' } });
    const images = await Promise.all((['png', 'jpeg', 'webp', 'gif'] as const).map((format) => picture.clone().toFormat(format).toBuffer()));
    fx = {
      fuzzer,
      other,
      third,
      own: {
        logout: { http: logoutHttp, ws: logoutWs },
        revokeSession: { http: revokeHttp, ws: revokeWs },
        changePassword: { http: passwordHttp, ws: passwordWs },
        // Ends every sign-in of its account: `third` is otherwise only a member of rooms.
        logoutEverywhere: { http: third, ws: everywhereWs },
        delete: { http: goneHttp, ws: goneWs },
      },
      spare,
      // Another person's sign-ins: revoking them must fail.
      sessionIds: [sidOf(spare), sidOf(fuzzer), sidOf(third)],
      userIds: [fuzzer.user.id, other.user.id, third.user.id],
      roomIds: [group.id, direct.id, elsewhere.id],
      messageIds: messages.map((m) => m.id),
      emails: [fuzzer.user.email!, other.user.email!, third.user.email!],
      cursor,
      images,
    };
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    process.off('unhandledRejection', onUnhandledRejection);
    process.off('uncaughtException', onUncaughtException);
    if (coverage.length > 0) console.info(`fuzz (seed ${SEED}), answers seen (shrinking runs included):\n${coverage.join('\n')}`);
  });

  it('covers every procedure of the AppRouter, with the right kind of call', () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    const routed = Object.fromEntries(Object.entries(procedures).map(([path, p]) => [path, p._def.type]));
    expect(Object.fromEntries(SPECS.map((s) => [s.path, s.type]))).toEqual(routed);
    expect(Object.keys(VALID_INPUTS).filter((path) => !SPECS.some((s) => s.path === path && s.fields))).toEqual([]);
  });

  /** Runs one property; a failure names the seed and path that replay it, the problem, and the (shrunk) input. */
  /**
   * Sends the examples (each is checked, none stops the others), then runs the property; a failure names the seed and
   * path that replay it, the problem, and the (shrunk) input.
   */
  async function fuzz<T>(name: string, runs: number, arbitrary: fc.Arbitrary<T>, examples: T[], predicate: (value: T) => Promise<string>): Promise<void> {
    const outcomes = new Map<string, number>();
    const counted = async (value: T) => {
      const outcome = await predicate(value);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    };
    const failures: string[] = [];
    for (const [index, example] of examples.entries()) {
      await counted(example).catch((error: unknown) => failures.push(`${name}: valid call ${index + 1} of ${examples.length} failed\n${(error as Error).message}`));
    }
    const details = await fc.check(fc.asyncProperty(arbitrary, counted), {
      seed: SEED,
      numRuns: runs,
      plugins: [fc.interruptAfterTimeLimit(PROPERTY_TIME_LIMIT_MS)],
    });
    const seen = [...outcomes].sort((a, b) => b[1] - a[1]).map(([outcome, n]) => `${outcome} ×${n}`);
    coverage.push(`${name}: ${examples.length} valid + ${details.numRuns} generated runs${details.interrupted ? ' (time limit)' : ''}; ${seen.join(', ')}`);
    if (details.failed) {
      const counterexample = preview(fc.stringify(details.counterexample), 1_500);
      failures.push(
        `${name}: fuzzing failed (seed ${details.seed}, path "${details.counterexamplePath}"; replay with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}) ` +
          `after ${details.numRuns} runs and ${details.numShrinks} shrinks\n${(details.errorInstance as Error)?.message ?? String(details.errorInstance)}\ncounterexample: ${counterexample}`,
      );
    }
    if (failures.length > 0) throw new Error(failures.join('\n\n'));
  }

  /** The server's and this process's complaints since a mark: failed calls in the log, unhandled errors. */
  function serverProblemsSince(mark: { logs: number; errors: number }): string[] {
    const failedCalls = server.logs.lines
      .slice(mark.logs)
      .filter((l) => (l.level as number) >= 50 && (l.msg === 'call failed' || l.msg === 'request failed'))
      .map((l) => `log: ${l.msg} ${String(l.path ?? l.route)}: ${preview(JSON.stringify(l.err ?? {}), 600)}`);
    return [...failedCalls, ...processErrors.slice(mark.errors)];
  }

  const runsOf = (spec: Spec) => Math.max(10, Math.round(RUNS * (spec.weight ?? 1)));

  for (const spec of SPECS) {
    it(
      `${spec.path} over HTTP`,
      async () => {
        const session = spec.session?.(fx, 'http') ?? fx.fuzzer;
        await fuzz(`${spec.path}/http`, runsOf(spec), httpRequestOf(spec, fx, server, session), httpExamples(spec, fx, server, session), async (request) => {
          const mark = { logs: server.logs.lines.length, errors: processErrors.length };
          const outcome = await httpSend(server, request, !!spec.long);
          const problems = [...httpProblems(outcome), ...serverProblemsSince(mark)];
          if (problems.length > 0) {
            throw new Error(
              `${problems.join('\n')}\n  request: ${request.method} ${preview(request.url)} ${JSON.stringify(request.headers)}\n  body: ${preview(request.body?.toString('utf8') ?? '')}\n  answer: ${outcome.status ?? ''} ${preview(outcome.text ?? outcome.failure ?? '', 800)}`,
            );
          }
          return httpOutcomeLabel(outcome);
        });
      },
      TEST_TIMEOUT_MS,
    );

    it(
      `${spec.path} over WebSocket`,
      async () => {
        const problems: string[] = [];
        const sentFrames = new Map<string | number, string>();
        const report = (problem: string) => problems.push(problem);
        const session = spec.session?.(fx, 'ws') ?? fx.fuzzer;
        const mine = new FuzzSocket(server, { accessToken: session.accessToken }, report, sentFrames);
        const anonymous = new FuzzSocket(server, undefined, report, sentFrames);
        try {
          await fuzz(`${spec.path}/ws`, runsOf(spec), wsSendOf(spec, fx, session), [wsExample(spec, fx, session)], async (send) => {
            const mark = { logs: server.logs.lines.length, errors: processErrors.length, problems: problems.length };
            const text = String(send.frame);
            for (const id of send.ids) sentFrames.set(id, text);
            let outcome: string;
            if (send.socket === 'session') outcome = await mine.exchange(send);
            else if (send.socket === 'anonymous') outcome = await anonymous.exchange(send);
            else {
              const fresh = new FuzzSocket(server, send.socket.connectionParams, report, sentFrames);
              outcome = await fresh.exchange(send);
              fresh.close();
            }
            const found = [...problems.slice(mark.problems), ...serverProblemsSince(mark)];
            if (found.length > 0) throw new Error(`${found.join('\n')}\n  frame: ${preview(text)}`);
            return outcome;
          });
          // Answers that came late (a long-poll) are checked as they arrive.
          await new Promise((resolve) => setTimeout(resolve, 50));
          expect(problems).toEqual([]);
        } finally {
          mine.close();
          anonymous.close();
        }
      },
      TEST_TIMEOUT_MS,
    );
  }

  it('saw no unhandled rejection or uncaught exception, and no failed call in the server log', async () => {
    // Nothing the fuzzer sent with other people's sign-ins (auth.revokeSession with its session id) ended its own.
    expect((await httpClient(server, { accessToken: fx.fuzzer.accessToken }).auth.me.query()).id).toBe(fx.fuzzer.user.id);
    expect(processErrors).toEqual([]);
    const failed = server.logs.lines.filter((l) => (l.level as number) >= 50 && l.msg === 'call failed');
    expect(failed.map((l) => `${String(l.path)}: ${JSON.stringify(l.err)}`)).toEqual([]);
  });
});
