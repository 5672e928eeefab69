import { describe } from 'vitest';
import { rateLimiterContract } from '../../../test/contracts/rate-limiter.contract.ts';
import { createMemoryRateLimiterFactory } from './memory-rate-limiter.ts';

describe('in-memory rate limiter', () => {
  const factory = createMemoryRateLimiterFactory();
  rateLimiterContract(() => factory);
});
