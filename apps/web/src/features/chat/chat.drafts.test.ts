import { describe, expect, it } from 'vitest';
import { clearDrafts, loadDraft, saveDraft, type StorageLike } from './chat.drafts.ts';
import { memoryStorage } from './chat.fixtures.ts';

describe('drafts', () => {
  it('keeps a draft per person and per room', () => {
    const storage = memoryStorage();
    saveDraft(storage, 'ann', 'r1', 'Hello Bo,\nsee you');
    saveDraft(storage, 'ann', 'r2', 'other room');
    saveDraft(storage, 'bo', 'r1', 'Bo’s own');
    expect(loadDraft(storage, 'ann', 'r1')).toBe('Hello Bo,\nsee you');
    expect(loadDraft(storage, 'ann', 'r2')).toBe('other room');
    expect(loadDraft(storage, 'bo', 'r1')).toBe('Bo’s own');
    expect(loadDraft(storage, 'ann', 'r3')).toBe('');
  });

  it('forgets a draft once it is empty (sent or erased)', () => {
    const storage = memoryStorage();
    saveDraft(storage, 'ann', 'r1', 'typing');
    saveDraft(storage, 'ann', 'r1', '  \n ');
    expect(storage.dump()).toEqual({});
  });

  it('logging out removes only that person’s drafts', () => {
    const storage = memoryStorage();
    saveDraft(storage, 'ann', 'r1', 'a');
    saveDraft(storage, 'ann', 'r2', 'b');
    saveDraft(storage, 'anna', 'r1', 'not Ann’s'); // a prefix of another id must not match
    storage.setItem('youngchat.language', 'ko');
    clearDrafts(storage, 'ann');
    expect(storage.dump()).toEqual({ 'youngchat.draft.anna.r1': 'not Ann’s', 'youngchat.language': 'ko' });
  });

  it('works without storage, and when storage throws', () => {
    expect(loadDraft(null, 'ann', 'r1')).toBe('');
    const broken: StorageLike = {
      length: 0,
      key: () => null,
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    expect(() => saveDraft(broken, 'ann', 'r1', 'x')).not.toThrow();
    expect(loadDraft(broken, 'ann', 'r1')).toBe('');
  });
});
