import { TRPCClientError, createTRPCClient, createWSClient, httpBatchLink, httpLink, isNonJsonSerializable, splitLink, wsLink } from '@trpc/client';
import type { Session } from '@youngchat/shared';
import { expect } from 'vitest';
import WebSocket from 'ws';
import type { AppRouter } from '../src/index.ts';
import type { TestServer } from './harness.ts';

/** A typed HTTP client, as an outside program would build it; FormData goes unbatched, as tRPC requires. */
export function httpClient(server: TestServer, options: { accessToken?: string; headers?: Record<string, string> } = {}) {
  const headers = () => ({
    ...(options.accessToken ? { authorization: `Bearer ${options.accessToken}` } : {}),
    ...options.headers,
  });
  const url = `${server.url}/trpc`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => isNonJsonSerializable(op.input),
        true: httpLink({ url, headers }),
        false: httpBatchLink({ url, headers }),
      }),
    ],
  });
}

export function wsClient(server: TestServer, accessToken?: () => string | undefined) {
  const socket = createWSClient({
    url: server.wsUrl,
    WebSocket: WebSocket as never,
    connectionParams: async () => {
      const token = accessToken?.();
      return token ? { accessToken: token } : {};
    },
  });
  return { socket, client: createTRPCClient<AppRouter>({ links: [wsLink({ client: socket })] }) };
}

/** Finds the newest verification code mailed to an address, wherever the mail went. */
export type CodeReader = (email: string) => Promise<string | undefined>;

const CODE = /\b(\d{6})\b/;

/** Codes from the embedded dev outbox. */
export function outboxCodes(server: TestServer): CodeReader {
  return async (email) => [...(server.deps.devOutbox?.list() ?? [])].reverse().find((m) => m.to === email)?.text.match(CODE)?.[1];
}

/** Waits for a code: mail goes out in the background after sign-up answers. */
export async function waitForCode(read: CodeReader, email: string, timeoutMs = 5_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const code = await read(email);
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no code mailed to ${email}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let counter = 0;

/** Signs up and verifies a fresh account through the public API; returns its token-mode session. */
export async function createAccount(
  server: TestServer,
  overrides: { email?: string; password?: string; nickname?: string } = {},
  readCode: CodeReader = outboxCodes(server),
): Promise<Session & { password: string }> {
  counter += 1;
  const email = overrides.email ?? `user${counter}.${Date.now()}@example.com`;
  const password = overrides.password ?? 'correct horse battery staple';
  const api = httpClient(server);
  await api.auth.signUp.mutate({ email, password, nickname: overrides.nickname ?? `User ${counter}` });
  const code = await waitForCode(readCode, email);
  const session = await api.auth.verifyEmail.mutate({ email, code, session: 'token' });
  return { ...session, password };
}

/** The appCode a call failed with (and fails the test if it succeeded). */
export async function appCodeOf(call: Promise<unknown>): Promise<string | undefined> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(TRPCClientError);
  return ((error as TRPCClientError<AppRouter>).data as { appCode?: string } | undefined)?.appCode;
}

/** A tRPC frame as a socket receives it. */
export interface TrpcFrame {
  id?: number | string;
  jsonrpc?: string;
  result?: unknown;
  error?: { data?: Record<string, unknown> } & Record<string, unknown>;
}

/** A raw tRPC socket signed in as `session`, with a call that waits for its answer. */
export async function rawTrpcSocket(server: TestServer, session: Session) {
  const ws = new WebSocket(`${server.wsUrl}?connectionParams=1`);
  const frames: TrpcFrame[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as TrpcFrame));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ method: 'connectionParams', data: { accessToken: session.accessToken } }));
  let next = 0;
  const answerTo = async (id: number) => {
    for (let waited = 0; waited < 5_000; waited += 10) {
      const frame = frames.find((f) => f.id === id);
      if (frame) return frame;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no answer to call ${id}`);
  };
  /** Sends one call, alone or as a batch of one, and returns tRPC's frame for it without its id. */
  const call = async (method: string, path: string, input: unknown, options: { batch?: boolean; jsonrpc?: string } = {}) => {
    const id = ++next;
    const message = { id, ...(options.jsonrpc ? { jsonrpc: options.jsonrpc } : {}), method, params: { path, input } };
    ws.send(JSON.stringify(options.batch ? [message] : message));
    const { id: _id, ...frame } = await answerTo(id);
    return frame;
  };
  // tRPC checks the sign-in when the socket's first message arrives; a call answered means it has.
  await call('query', 'auth.me', undefined);
  return { call, close: () => ws.close() };
}

/** A frame with its error's retryAfterMs set aside: the time to retry is jittered, so two answers differ in it. */
export const withoutRetryAfter = (frame: TrpcFrame): TrpcFrame =>
  frame.error ? { ...frame, error: { ...frame.error, data: { ...frame.error.data, retryAfterMs: 0 } } } : frame;
