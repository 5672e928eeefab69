import { APP_CODES, signUpInput } from '@youngchat/shared';
import { describe, expect, it } from 'vitest';
import { createI18n, LANGUAGES } from './i18n.ts';
import { checkInput, fieldIssues, isRetryable, problemMessage, toProblem, waitSeconds } from './problems.ts';

describe('toProblem', () => {
  it('reads appCode, issues and retryAfterMs from a tRPC error', () => {
    const error = { message: 'x', data: { appCode: 'BAD_INPUT', issues: [{ path: 'email', message: 'bad' }, 'junk'] } };
    expect(toProblem(error)).toEqual({ code: 'BAD_INPUT', issues: [{ path: 'email', message: 'bad' }] });
    expect(toProblem({ data: { appCode: 'RATE_LIMITED', retryAfterMs: 4200 } })).toEqual({
      code: 'RATE_LIMITED',
      issues: [],
      retryAfterMs: 4200,
    });
  });

  it('calls an error with no answer from the server a network problem', () => {
    expect(toProblem(new TypeError('Failed to fetch')).code).toBe('NETWORK');
    expect(toProblem(undefined).code).toBe('NETWORK');
  });

  it('does not trust an unknown appCode', () => {
    expect(toProblem({ data: { appCode: 'DROP TABLE' } }).code).toBe('INTERNAL');
  });
});

describe('problemMessage', () => {
  for (const language of LANGUAGES) {
    describe(language, () => {
      const { t } = createI18n(language);

      it('has its own plain-words sentence for every appCode, and for the network', () => {
        const sentences = [...APP_CODES, 'NETWORK' as const].map((code) =>
          problemMessage(t, { code, retryAfterMs: 3000 }),
        );
        for (const [i, sentence] of sentences.entries()) {
          expect(sentence, APP_CODES[i]).not.toMatch(/errors\.|[A-Z]{3,}_[A-Z]/); // not a raw key or code
          expect(sentence.length, APP_CODES[i]).toBeGreaterThan(8);
          if (language === 'ko') expect(sentence, APP_CODES[i]).toMatch(/[\uac00-\ud7a3]/);
        }
        expect(new Set(sentences).size).toBe(sentences.length);
      });

      it('tells how many seconds to wait after RATE_LIMITED, rounded up', () => {
        expect(problemMessage(t, { code: 'RATE_LIMITED', retryAfterMs: 41_200 })).toContain('42');
      });

      it('says the size limit for a file that is too big', () => {
        expect(problemMessage(t, { code: 'PAYLOAD_TOO_LARGE' })).toContain('5');
      });
    });
  }

  it('uses the singular in English for one second', () => {
    const { t } = createI18n('en');
    expect(problemMessage(t, { code: 'RATE_LIMITED', retryAfterMs: 900 })).toContain('1 second,');
    expect(problemMessage(t, { code: 'RATE_LIMITED', retryAfterMs: 2000 })).toContain('2 seconds');
  });

  it('matches the examples in the accounts issue', () => {
    expect(problemMessage(createI18n('en').t, { code: 'INVALID_CODE' })).toBe(
      'That code didn’t work. Check it, or ask for a new one.',
    );
    expect(problemMessage(createI18n('ko').t, { code: 'INVALID_CODE' })).toBe(
      '코드가 맞지 않아요. 다시 확인하거나 새 코드를 받아 주세요.',
    );
  });
});

describe('isRetryable', () => {
  it('retries only what a connection, a service or a wait coming back can fix, for every code', () => {
    const codes = [...APP_CODES, 'NETWORK' as const];
    for (const code of codes) expect(typeof isRetryable(code), code).toBe('boolean'); // none forgotten
    const retryable = codes.filter(isRetryable).sort();
    expect(retryable).toEqual(['INTERNAL', 'NETWORK', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE', 'TOO_MANY_CONNECTIONS']);
    // Unchanged, these fail the same way every time (the auth layer owns the session ones).
    for (const code of ['BAD_INPUT', 'FORBIDDEN', 'BLOCKED', 'NOT_FOUND', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'SESSION_EXPIRED', 'UNAUTHORIZED'] as const) {
      expect(isRetryable(code), code).toBe(false);
    }
  });
});

describe('waitSeconds', () => {
  it('never says zero', () => {
    expect(waitSeconds(0)).toBe(1);
    expect(waitSeconds(undefined)).toBe(1);
    expect(waitSeconds(1001)).toBe(2);
  });
});

describe('fieldIssues', () => {
  it('puts issues next to the fields on screen and the rest at form level', () => {
    const problem = toProblem({
      data: {
        appCode: 'BAD_INPUT',
        issues: [
          { path: 'email', message: 'x' },
          { path: 'profile.nickname', message: 'y' },
          { path: '', message: 'nothing to update' },
        ],
      },
    });
    expect(fieldIssues(problem, ['email', 'password'] as const)).toEqual({ byField: { email: true }, unplaced: true });
    expect(fieldIssues(null, ['email'] as const)).toEqual({ byField: {}, unplaced: false });
  });
});

describe('checkInput', () => {
  it('catches what the API would refuse, with the same paths', () => {
    const problem = checkInput(signUpInput, { email: 'not-an-email', password: 'short', nickname: '' });
    expect(problem?.code).toBe('BAD_INPUT');
    expect(Object.keys(fieldIssues(problem, ['email', 'password', 'nickname'] as const).byField).sort()).toEqual([
      'email',
      'nickname',
      'password',
    ]);
    expect(checkInput(signUpInput, { email: 'a@example.com', password: 'long enough pass', nickname: 'Ann' })).toBeNull();
  });
});
