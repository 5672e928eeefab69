export * from './error-codes.ts';
export * from './limits.ts';
export * from './schemas/system.ts';
