import { describe, expect, it } from 'vitest';
import { createI18n } from '../lib/i18n.ts';
import { initialOf } from './avatar.tsx';
import { displayName } from './display-name.ts';

describe('displayName', () => {
  it('is the nickname of a live account', () => {
    expect(displayName({ nickname: 'Ann' }, createI18n('en').t)).toBe('Ann');
  });

  it('says a deleted account is one, in the person’s language, and the avatar initial follows', () => {
    const deleted = { nickname: '', deleted: true as const };
    expect(displayName(deleted, createI18n('en').t)).toBe('Deleted user');
    expect(displayName(deleted, createI18n('ko').t)).toBe('탈퇴한 사용자');
    expect(initialOf(displayName(deleted, createI18n('ko').t))).toBe('탈');
  });
});
