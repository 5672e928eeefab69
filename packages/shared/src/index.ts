export * from './error-codes.ts';
export * from './events.ts';
export * from './limits.ts';
export * from './schemas/auth.ts';
export * from './schemas/chat.ts';
export * from './schemas/profile.ts';
export * from './schemas/system.ts';
