import { describe, expect, it } from 'vitest';
import { initialOf } from './avatar.tsx';

describe('initialOf', () => {
  it('takes the first letter a person sees', () => {
    expect(initialOf('김순자')).toBe('김');
    expect(initialOf('  ann ')).toBe('A');
    expect(initialOf('👩‍👧 family')).toBe('👩‍👧');
    expect(initialOf('e\u0301mile')).toBe('E\u0301');
  });

  it('has something to show for an empty name', () => {
    expect(initialOf('   ')).toBe('?');
  });
});
