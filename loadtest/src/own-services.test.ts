import { describe, expect, it } from 'vitest';
import { composeApiEnv } from './own-services.ts';

describe('composeApiEnv', () => {
  const compose = [
    'x-api-environment: &api-environment',
    '  NODE_ENV: production',
    '  # a comment',
    '  DATABASE_POOL_SIZE: "8"',
    'services:',
    '  api1:',
    '    environment:',
    '      INSTANCE_ID: api1',
  ].join('\n');

  it('reads the API environment, quoted or not', () => {
    expect(composeApiEnv(compose, ['NODE_ENV', 'DATABASE_POOL_SIZE'])).toEqual({ NODE_ENV: 'production', DATABASE_POOL_SIZE: '8' });
  });

  it('fails on a name the compose file does not set, or sets only for one service', () => {
    expect(() => composeApiEnv(compose, ['REDIS_URL'])).toThrow('no REDIS_URL');
    expect(() => composeApiEnv(compose, ['INSTANCE_ID'])).toThrow('no INSTANCE_ID');
  });
});
