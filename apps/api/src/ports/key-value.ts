import type { AdapterKinds } from '@youngchat/shared';
import type { Dependency } from './dependency.ts';

/**
 * A shared key-value store in which every key expires: nothing written here may live forever
 * (sign-up codes, refresh tokens, blacklists, rate-limit counters all have natural lifetimes).
 */
export interface KeyValueStore extends Dependency {
  readonly kind: AdapterKinds['keyValue'];
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Writes only when the key is absent (or expired); true when this call wrote it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Reads and deletes in one step, so a single-use value can be used once. */
  take(key: string): Promise<string | null>;
  /** True when the key existed. */
  delete(key: string): Promise<boolean>;
  /** Adds one and returns the new value; a new counter starts at 1 and expires after ttlMs. */
  increment(key: string, ttlMs: number): Promise<number>;
  /** Remaining lifetime, or null when the key does not exist. */
  ttlMs(key: string): Promise<number | null>;
}
