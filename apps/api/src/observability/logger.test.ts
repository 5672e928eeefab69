import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { runWithTrace } from './trace.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', instanceId: 'test', destination }) };
}

describe('createLogger', () => {
  it('never writes passwords, tokens, codes or auth headers, even inside logged objects', () => {
    const { lines, logger } = capture();
    logger.info({ password: 'hunter2', body: { refreshToken: 'r', code: '123456' }, headers: { authorization: 'Bearer x', cookie: 'rt=y' } }, 'x');
    const text = JSON.stringify(lines);
    for (const secret of ['hunter2', '"r"', '123456', 'Bearer x', 'rt=y']) expect(text).not.toContain(secret);
  });

  it('adds the traceId of the request or message being handled', () => {
    const { lines, logger } = capture();
    runWithTrace('trace-abc', () => logger.info('inside'));
    logger.info('outside');
    expect(lines[0]).toMatchObject({ msg: 'inside', traceId: 'trace-abc', instance: 'test' });
    expect(lines[1]).not.toHaveProperty('traceId');
  });
});
