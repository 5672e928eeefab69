import { describe, expect, it } from 'vitest';
import { createI18n, pickLanguage } from './i18n.ts';
import { en } from './locales/en.ts';
import { ko } from './locales/ko.ts';

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [p, v] of leaves(value, path)) out.set(p, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}|<(\w+)>/g)].map((m) => m[1] ?? m[2]).sort();

describe('translations', () => {
  const enLeaves = leaves(en);
  const koLeaves = leaves(ko);

  it('Korean and English have exactly the same keys', () => {
    expect([...koLeaves.keys()].sort()).toEqual([...enLeaves.keys()].sort());
  });

  it('no text is empty, and each keeps the same {{placeholders}} and tags', () => {
    for (const [key, text] of enLeaves) {
      const other = koLeaves.get(key) ?? '';
      expect(text.trim(), key).not.toBe('');
      expect(other.trim(), key).not.toBe('');
      expect(placeholders(other), key).toEqual(placeholders(text));
    }
  });

  it('Korean is actually translated where there are words to translate', () => {
    const same = [...enLeaves].filter(([key, text]) => koLeaves.get(key) === text).map(([key]) => key);
    // The brand, the bilingual language label and the title pattern are the same in both on purpose.
    expect(same.sort()).toEqual(['app.language', 'app.name', 'app.pageTitle']);
  });

  it('interpolates', () => {
    expect(createI18n('ko').t('home.titleSignedIn', { nickname: '순자' })).toBe('순자님, 안녕하세요!');
    expect(createI18n('en').t('auth.resendWait', { count: 12 })).toBe('Send a new code (wait 12 seconds)');
  });
});

describe('pickLanguage', () => {
  it('prefers the saved choice', () => {
    expect(pickLanguage('en', ['ko-KR'])).toBe('en');
  });

  it('follows the browser, region ignored, in order of preference', () => {
    expect(pickLanguage(null, ['ko-KR', 'en-US'])).toBe('ko');
    expect(pickLanguage(null, ['fr-FR', 'en-GB', 'ko'])).toBe('en');
    expect(pickLanguage('klingon', ['KO'])).toBe('ko');
  });

  it('falls back to English', () => {
    expect(pickLanguage(null, ['fr', 'de'])).toBe('en');
    expect(pickLanguage(null, [])).toBe('en');
  });
});
