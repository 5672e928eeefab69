import { describe, expect, it } from 'vitest';
import { loginInput, nicknameSchema, passwordSchema } from './auth.ts';
import { messageBodySchema, roomNameSchema } from './chat.ts';
import { profileUpdateInput, usersSearchInput } from './profile.ts';
import { uuidSchema } from './text.ts';

const CONTROL = ['\u0000', '\u0007', '\u001b[2J', '\u007f', '\u0085'];
const FORMAT = ['\u200b', '\u202e', '\u2066', '\ufeff'];

/** Every free-text input, each wrapping a string the way its schema takes it. */
const INPUTS = {
  nickname: (v: string) => nicknameSchema.safeParse(`Ann${v}Lee`),
  statusMessage: (v: string) => profileUpdateInput.safeParse({ statusMessage: `hi${v}there` }),
  search: (v: string) => usersSearchInput.safeParse({ query: `an${v}n` }),
  roomName: (v: string) => roomNameSchema.safeParse(`Fam${v}ily`),
  messageBody: (v: string) => messageBodySchema.safeParse(`hello${v}world`),
  password: (v: string) => passwordSchema.safeParse(`correct horse${v}battery`),
  loginPassword: (v: string) => loginInput.safeParse({ email: 'ann@example.com', password: `correct horse${v}battery` }),
};

describe('free text', () => {
  it.each(Object.entries(INPUTS))('%s refuses NUL and other control characters', (_name, parse) => {
    for (const c of CONTROL) expect(parse(c).success, JSON.stringify(c)).toBe(false);
    expect(parse('').success).toBe(true);
  });

  it.each(Object.entries(INPUTS).filter(([name]) => !name.toLowerCase().includes('password')))(
    '%s refuses format characters (zero-width, bidi overrides)',
    (_name, parse) => {
      for (const c of FORMAT) expect(parse(c).success, JSON.stringify(c)).toBe(false);
    },
  );

  it('lets messages keep new lines, tabs and emoji joined by ZWJ; passwords any Unicode', () => {
    expect(messageBodySchema.parse('one\n\ttwo 👩‍👩‍👧')).toBe('one\n\ttwo 👩‍👩‍👧');
    expect(passwordSchema.safeParse('비밀번호는 길게 👩‍👩‍👧').success).toBe(true);
    expect(nicknameSchema.safeParse('Ann\nLee').success).toBe(false);
  });
});

describe('ids', () => {
  it('are read in lower case, so one id is one person to the code as to the database', () => {
    expect(uuidSchema.parse('3F1C2A4E-9D8B-4C7A-A1B2-C3D4E5F60718')).toBe('3f1c2a4e-9d8b-4c7a-a1b2-c3d4e5f60718');
    expect(uuidSchema.safeParse('not-a-uuid').success).toBe(false);
  });
});
