import { z } from 'zod';

/**
 * Control and format characters (NUL, escape sequences, bidi overrides, zero-width spaces) have no place in what
 * people type: they make names that look like someone else's, hide text, and PostgreSQL refuses NUL in text outright.
 * Every free-text input is checked with one of these, so such input is BAD_INPUT everywhere, never a 500.
 */
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u;

/** One line: no control or format character at all. */
export const isPlainLine = (value: string): boolean => !CONTROL_OR_FORMAT.test(value);

/** Several lines: new lines and tabs allowed, and the zero-width joiner that holds emoji sequences together. */
export const isPlainText = (value: string): boolean => !CONTROL_OR_FORMAT.test(value.replace(/[\n\t\u200d]/g, ''));

/** Passwords: any Unicode a person can type (NIST SP 800-63B), but no control character. */
export const hasNoControlChars = (value: string): boolean => !/\p{Cc}/u.test(value);

/**
 * Ids are UUIDs, read in lower case: PostgreSQL's uuid type ignores case, and the API compares ids as strings, so an
 * id in upper case would be another person to the code and the same one to the database.
 */
export const uuidSchema = z.string().toLowerCase().uuid();

export const CONTROL_CHARS_MESSAGE = 'must not contain control characters';
