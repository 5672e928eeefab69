import { describe, expect, it } from 'vitest';
import type { StorageLike } from '../chat/chat.drafts.ts';
import { applyPrefs, DEFAULT_PREFS, readPrefs, TEXT_SCALES, TEXT_SIZES, writePrefs } from './settings.prefs.ts';

function memoryStorage(): StorageLike {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    key: (i) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
  };
}

describe('settings', () => {
  it('offers at least four text sizes, the largest at least half as big again as the default', () => {
    expect(TEXT_SIZES.length).toBeGreaterThanOrEqual(4);
    expect(TEXT_SCALES.normal).toBe(1);
    expect(TEXT_SCALES[TEXT_SIZES.at(-1)!]).toBeGreaterThanOrEqual(1.5);
  });

  it('remembers what was chosen, and starts from the defaults without storage', () => {
    const storage = memoryStorage();
    expect(readPrefs(storage)).toEqual(DEFAULT_PREFS);
    expect(readPrefs(null)).toEqual(DEFAULT_PREFS);
    writePrefs(storage, { textSize: 'largest', highContrast: true, notifications: false });
    expect(readPrefs(storage)).toEqual({ textSize: 'largest', highContrast: true, notifications: false });
  });

  it('falls back one setting at a time when what is stored is unreadable', () => {
    const storage = memoryStorage();
    storage.setItem('youngchat.settings', JSON.stringify({ textSize: 'huge', highContrast: true, notifications: 'yes' }));
    expect(readPrefs(storage)).toEqual({ textSize: 'normal', highContrast: true, notifications: true });
    storage.setItem('youngchat.settings', '{not json');
    expect(readPrefs(storage)).toEqual(DEFAULT_PREFS);
  });

  it('applies to the root element as a text scale and a contrast mark', () => {
    const style = new Map<string, string>();
    const root = { style: { setProperty: (k: string, v: string) => void style.set(k, v) }, dataset: {} as Record<string, string> };
    applyPrefs(root as unknown as HTMLElement, { textSize: 'largest', highContrast: true, notifications: true });
    expect(style.get('--text-scale')).toBe('1.5');
    expect(root.dataset.contrast).toBe('high');
    applyPrefs(root as unknown as HTMLElement, DEFAULT_PREFS);
    expect(style.get('--text-scale')).toBe('1');
    expect(root.dataset.contrast).toBeUndefined();
  });
});
