import type { TFunction } from 'i18next';
import type { SessionInfo } from '@youngchat/shared';

/**
 * Enough of a User-Agent to tell one's own devices apart ("Chrome on Windows"), not a full parser. Order matters:
 * most browsers also claim to be Chrome or Safari, and iPhones and Android phones also say Mac OS X and Linux.
 */
const BROWSERS: readonly (readonly [RegExp, string])[] = [
  [/\bKAKAOTALK\b/i, 'KakaoTalk'],
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bWhale\//, 'Whale'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\b(?:Chrome|CriOS|HeadlessChrome)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

const SYSTEMS: readonly (readonly [RegExp, string])[] = [
  [/\bWindows\b/, 'Windows'],
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMacintosh\b|\bMac OS X\b/, 'Mac'],
  [/\bLinux\b/, 'Linux'],
];

function firstMatch(userAgent: string, table: readonly (readonly [RegExp, string])[]): string | null {
  return table.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;
}

export function describeUserAgent(userAgent: string): { browser: string | null; os: string | null } {
  return { browser: firstMatch(userAgent, BROWSERS), os: firstMatch(userAgent, SYSTEMS) };
}

/** "Chrome on Windows", in the person's language; what is known of it, or "Unknown device". */
export function deviceName(userAgent: string, t: TFunction): string {
  const { browser, os } = describeUserAgent(userAgent);
  if (browser && os) return t('account.deviceOn', { browser, os });
  return browser ?? os ?? t('account.unknownDevice');
}

/** This device first, then the others, most recently used first. */
export function orderDevices(devices: readonly SessionInfo[]): SessionInfo[] {
  return [...devices].sort(
    (a, b) => Number(b.current) - Number(a.current) || Date.parse(b.lastActiveAt) - Date.parse(a.lastActiveAt),
  );
}
