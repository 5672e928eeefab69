import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en.ts';
import { ko } from './locales/ko.ts';

export const LANGUAGES = ['ko', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The language names as their own speakers write them, so anyone can find theirs in any interface language. */
export const LANGUAGE_NAMES: Record<Language, string> = { ko: '한국어', en: 'English' };

const STORAGE_KEY = 'youngchat.language';

export const resources = { en: { translation: en }, ko: { translation: ko } } as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
  }
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The saved choice first, then the browser's languages in order of preference ('ko-KR' counts as Korean),
 * then English.
 */
export function pickLanguage(saved: string | null, preferred: readonly string[]): Language {
  if (isLanguage(saved)) return saved;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

function readSaved(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled (privacy mode): fall back to the browser's language
  }
}

/** A fresh instance, initialised synchronously because every string is bundled (two small languages). */
export function createI18n(language: Language): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    supportedLngs: LANGUAGES,
    initAsync: false,
    // React escapes every value it renders.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

export function createBrowserI18n(): I18n {
  const instance = createI18n(pickLanguage(readSaved(), navigator.languages ?? [navigator.language]));
  const applyToDocument = (lng: string) => {
    document.documentElement.lang = lng;
  };
  applyToDocument(instance.language);
  instance.on('languageChanged', (lng) => {
    applyToDocument(lng);
    try {
      window.localStorage.setItem(STORAGE_KEY, lng);
    } catch {
      // not remembered, but the switch still works for this visit
    }
  });
  return instance;
}
