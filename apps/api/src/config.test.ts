import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'yc-config-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('runs on embedded defaults with no variables at all', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.redis.url).toBeUndefined();
    expect(config.amqp.url).toBeUndefined();
    expect(config.mail.smtpUrl).toBeUndefined();
    expect(config.s3.bucket).toBeUndefined();
  });

  it('refuses bad values, naming every bad variable', () => {
    const attempt = () =>
      loadConfig({ DATA_DIR: dataDir, PORT: 'eighty', DATABASE_URL: 'mysql://db/x', S3_FORCE_PATH_STYLE: 'yes' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT[\s\S]*DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL[\s\S]*S3_FORCE_PATH_STYLE/);
  });

  it('wants both S3 keys or neither', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir, S3_BUCKET: 'bucket', S3_ACCESS_KEY_ID: 'id' })).toThrow(
      /S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set both or neither/,
    );
    const both = loadConfig({ DATA_DIR: dataDir, S3_BUCKET: 'bucket', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret' });
    expect(both.s3.bucket).toBe('bucket');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATA_DIR: dataDir, REDIS_URL: '' }).redis.url).toBeUndefined();
  });

  it('generates the JWT secret once and keeps it in DATA_DIR', async () => {
    const first = loadConfig({ DATA_DIR: dataDir }).jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dataDir }).jwtSecret).toBe(first);
    expect((await readFile(path.join(dataDir, 'jwt-secret'), 'utf8')).trim()).toBe(first);
  });

  it('requires JWT_SECRET in production, and a long one', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required/);
    expect(() => loadConfig({ DATA_DIR: dataDir, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: must be at least 32/);
    const secret = 'x'.repeat(40);
    expect(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', JWT_SECRET: secret }).jwtSecret).toBe(secret);
  });

  it('collects allowed origins from PUBLIC_URL and CORS_ORIGINS', () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      PUBLIC_URL: 'https://chat.example.com/',
      CORS_ORIGINS: 'https://a.example.com, https://b.example.com:8443/',
    });
    expect(config.allowedOrigins).toEqual([
      'https://chat.example.com',
      'https://a.example.com',
      'https://b.example.com:8443',
    ]);
  });
});
