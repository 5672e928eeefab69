import type { TFunction } from 'i18next';
import { isAppCode, LIMITS, type AppCode } from '@youngchat/shared';

/** What went wrong, as the UI needs it: the API's appCode (or NETWORK when no answer came back at all). */
export interface Problem {
  code: AppCode | 'NETWORK';
  /** BAD_INPUT only: which fields, by dotted path ('email', 'nickname'). */
  issues: FieldIssue[];
  /** RATE_LIMITED only. */
  retryAfterMs?: number;
}

export interface FieldIssue {
  path: string;
  message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function readIssues(value: unknown): FieldIssue[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((issue) =>
    isRecord(issue) && typeof issue.path === 'string'
      ? [{ path: issue.path, message: typeof issue.message === 'string' ? issue.message : '' }]
      : [],
  );
}

/**
 * Reads `error.data` of a TRPCClientError without trusting it: an error without an appCode means the answer never
 * arrived (offline, proxy page, server gone), which is a different thing to tell the person.
 */
export function toProblem(error: unknown): Problem {
  const data = isRecord(error) && isRecord(error.data) ? error.data : null;
  if (!data || !isAppCode(data.appCode)) {
    // A tRPC error shape without our appCode still came from a server; a missing shape is the network.
    return { code: data ? 'INTERNAL' : 'NETWORK', issues: [] };
  }
  const problem: Problem = { code: data.appCode, issues: data.appCode === 'BAD_INPUT' ? readIssues(data.issues) : [] };
  if (typeof data.retryAfterMs === 'number' && Number.isFinite(data.retryAfterMs)) problem.retryAfterMs = data.retryAfterMs;
  return problem;
}

/**
 * Whether the same request, sent again unchanged, can succeed: once the connection or the service is back, or
 * after the wait RATE_LIMITED gives (retryAfterMs). The others fail the same way every time; UNAUTHORIZED and
 * SESSION_EXPIRED are the auth layer's (it renews the session or signs the person out). Every code is listed, so
 * a new appCode does not compile until someone decides.
 */
const RETRYABLE = {
  NETWORK: true,
  SERVICE_UNAVAILABLE: true,
  RATE_LIMITED: true,
  TOO_MANY_CONNECTIONS: true,
  INTERNAL: true,
  BAD_INPUT: false,
  INVALID_CREDENTIALS: false,
  INVALID_CODE: false,
  PASSWORD_TOO_COMMON: false,
  SESSION_EXPIRED: false,
  UNSUPPORTED_FILE: false,
  UNAUTHORIZED: false,
  FORBIDDEN: false,
  NOT_FOUND: false,
  BLOCKED: false,
  CONFLICT: false,
  PAYLOAD_TOO_LARGE: false,
} as const satisfies Record<Problem['code'], boolean>;

export function isRetryable(code: Problem['code']): boolean {
  return RETRYABLE[code];
}

/** Whole seconds, rounded up so "wait 0 seconds" never happens. */
export function waitSeconds(retryAfterMs: number | undefined): number {
  return Math.max(1, Math.ceil((retryAfterMs ?? 1000) / 1000));
}

const AVATAR_MAX_MB = Math.round(LIMITS.avatar.maxBytes / (1024 * 1024));

/** The plain-words sentence for a problem, in the current language. Never the server's message. */
export function problemMessage(t: TFunction, problem: Pick<Problem, 'code' | 'retryAfterMs'>): string {
  switch (problem.code) {
    case 'RATE_LIMITED':
      return t('errors.RATE_LIMITED', { count: waitSeconds(problem.retryAfterMs) });
    case 'PAYLOAD_TOO_LARGE':
      return t('errors.PAYLOAD_TOO_LARGE', { maxMb: AVATAR_MAX_MB });
    default:
      return t(`errors.${problem.code}`);
  }
}

/**
 * Splits BAD_INPUT issues between the fields a form shows and the rest. An issue on a field that is not on
 * screen (or on the whole object, path '') is still worth saying, so it goes to the form-level message.
 */
export function fieldIssues<F extends string>(
  problem: Problem | null,
  fields: readonly F[],
): { byField: Partial<Record<F, true>>; unplaced: boolean } {
  const byField: Partial<Record<F, true>> = {};
  let unplaced = false;
  for (const issue of problem?.issues ?? []) {
    const top = issue.path.split('.')[0] as F;
    if (fields.includes(top)) byField[top] = true;
    else unplaced = true;
  }
  return { byField, unplaced };
}

interface SafeParser {
  safeParse(value: unknown):
    | { success: true }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/**
 * Checks a form with the very schema the API uses (packages/shared), so the person hears about a typo before a
 * round trip, in the same words as when the server catches it.
 */
export function checkInput(schema: SafeParser, value: unknown): Problem | null {
  const result = schema.safeParse(value);
  if (result.success) return null;
  return {
    code: 'BAD_INPUT',
    issues: result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  };
}
