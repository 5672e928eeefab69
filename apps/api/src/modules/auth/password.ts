import { createRequire } from 'node:module';
import argon2 from 'argon2';

// Mozilla's list of the most common passwords (the Firefox Accounts check); a CommonJS module without types.
const commonPasswords = createRequire(import.meta.url)('fxa-common-password-list') as { test(password: string): boolean };

/** ASVS 5.0 / OWASP: argon2id, at least 19 MiB, 2 passes, 1 lane. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false; // a malformed hash is a failed login, not a server error
  }
}

// Verified against when the email is unknown, so that answer takes as long as a wrong password.
const dummyHash = hashPassword('timing-equaliser-not-a-real-password');

export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(await dummyHash, password);
  return false;
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords.test(password.toLowerCase());
}
