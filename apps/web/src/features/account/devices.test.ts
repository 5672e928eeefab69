import type { SessionInfo } from '@youngchat/shared';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../lib/i18n.ts';
import { describeUserAgent, deviceName, orderDevices } from './devices.ts';

const UA = {
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51',
  firefoxMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  chromeIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1',
  chromeAndroid: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  samsung:
    'Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
  kakao:
    'Mozilla/5.0 (Linux; Android 13; SM-G991N Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/115.0.5790.166 Mobile Safari/537.36;KAKAOTALK 2410420',
  headless: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36',
};

describe('describeUserAgent', () => {
  it('names the browser a person would recognise, not the engines it claims to be', () => {
    expect(describeUserAgent(UA.chromeWindows)).toEqual({ browser: 'Chrome', os: 'Windows' });
    expect(describeUserAgent(UA.edgeWindows)).toEqual({ browser: 'Edge', os: 'Windows' });
    expect(describeUserAgent(UA.firefoxMac)).toEqual({ browser: 'Firefox', os: 'Mac' });
    expect(describeUserAgent(UA.safariMac)).toEqual({ browser: 'Safari', os: 'Mac' });
    expect(describeUserAgent(UA.samsung)).toEqual({ browser: 'Samsung Internet', os: 'Android' });
    expect(describeUserAgent(UA.kakao)).toEqual({ browser: 'KakaoTalk', os: 'Android' });
    expect(describeUserAgent(UA.headless)).toEqual({ browser: 'Chrome', os: 'Linux' });
  });

  it('tells phones from the computers their User-Agents also mention', () => {
    expect(describeUserAgent(UA.safariIphone)).toEqual({ browser: 'Safari', os: 'iPhone' });
    expect(describeUserAgent(UA.chromeIphone)).toEqual({ browser: 'Chrome', os: 'iPhone' });
    expect(describeUserAgent(UA.chromeAndroid)).toEqual({ browser: 'Chrome', os: 'Android' });
  });

  it('knows nothing of programs that are not browsers', () => {
    expect(describeUserAgent('')).toEqual({ browser: null, os: null });
    expect(describeUserAgent('curl/8.5.0')).toEqual({ browser: null, os: null });
  });
});

describe('deviceName', () => {
  it('says it in the person’s language, with what is known', () => {
    expect(deviceName(UA.chromeWindows, createI18n('en').t)).toBe('Chrome on Windows');
    expect(deviceName(UA.safariIphone, createI18n('ko').t)).toBe('iPhone의 Safari');
    expect(deviceName('Mozilla/5.0 (Windows NT 10.0) SomethingNew/1.0', createI18n('en').t)).toBe('Windows');
    expect(deviceName('node', createI18n('en').t)).toBe('Unknown device');
    expect(deviceName('', createI18n('ko').t)).toBe('알 수 없는 기기');
  });
});

describe('orderDevices', () => {
  const device = (id: string, lastActiveAt: string, current = false): SessionInfo => ({
    id,
    current,
    userAgent: UA.chromeWindows,
    place: null,
    createdAt: '2030-01-01T00:00:00.000Z',
    lastActiveAt,
  });

  it('puts this device first, then the most recently used', () => {
    const list = [
      device('old', '2030-01-02T00:00:00.000Z'),
      device('here', '2030-01-01T00:00:00.000Z', true),
      device('new', '2030-01-03T00:00:00.000Z'),
    ];
    expect(orderDevices(list).map((d) => d.id)).toEqual(['here', 'new', 'old']);
    expect(list.map((d) => d.id)).toEqual(['old', 'here', 'new']); // a copy: the cached list stays as it was
  });
});
