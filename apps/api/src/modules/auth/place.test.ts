import { describe, expect, it } from 'vitest';
import { approximatePlace } from './place.ts';

describe('approximatePlace', () => {
  it('keeps only the start of an address', () => {
    expect(approximatePlace('203.0.113.42')).toBe('203.0.*');
    expect(approximatePlace('::ffff:198.51.100.7')).toBe('198.51.*');
    expect(approximatePlace('2001:db8:85a3::8a2e:370:7334')).toBe('2001:db8:*');
    expect(approximatePlace('unknown')).toBeNull();
  });
});
