import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { mailerContract } from '../../../test/contracts/mailer.contract.ts';
import { createConsoleMailer } from './console-mailer.ts';

function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino(stream), lines };
}

describe('console mailer', () => {
  mailerContract(async () => {
    const mailer = createConsoleMailer({ logger: capturedLogger().logger });
    return {
      mailer,
      readBack: async (to) => mailer.list().filter((entry) => entry.to === to),
      cleanup: () => mailer.close(),
    };
  });

  it('keeps only the last 100 mails, oldest first, each with an id and a time', async () => {
    const mailer = createConsoleMailer({ logger: capturedLogger().logger });
    for (let i = 0; i < 105; i++) await mailer.send({ to: `u${i}@example.com`, subject: `mail ${i}`, text: 'x' });
    const entries = mailer.list();
    expect(entries.map((e) => e.subject)).toEqual(Array.from({ length: 100 }, (_, i) => `mail ${i + 5}`));
    expect(new Set(entries.map((e) => e.id)).size).toBe(100);
    for (const entry of entries) {
      expect(entry.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(new Date(entry.sentAt).toISOString()).toBe(entry.sentAt);
    }
  });

  it('logs where to find the mail but never its body or the full address', async () => {
    const { logger, lines } = capturedLogger();
    const mailer = createConsoleMailer({ logger });
    await mailer.send({
      to: 'grandma.kim@example.org',
      subject: 'Your YOUng Chat code',
      text: 'Your code is 739204',
      html: '<p>Your code is <b>739204</b></p>',
    });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    const [entry] = mailer.list();
    expect(line).toMatchObject({
      msg: 'mail kept in dev outbox',
      toDomain: 'example.org',
      subject: 'Your YOUng Chat code',
      outboxId: entry!.id,
      outbox: '/dev/outbox',
    });
    expect(lines[0]).not.toContain('739204');
    expect(lines[0]).not.toContain('grandma');
  });

  it('hands out a copy, so callers cannot rewrite the outbox', async () => {
    const mailer = createConsoleMailer({ logger: capturedLogger().logger });
    await mailer.send({ to: 'a@example.com', subject: 's', text: 't' });
    (mailer.list() as unknown[]).length = 0;
    expect(mailer.list()).toHaveLength(1);
    expect(() => {
      (mailer.list()[0] as { text: string }).text = 'changed';
    }).toThrow(TypeError);
  });
});
