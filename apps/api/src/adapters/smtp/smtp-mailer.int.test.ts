import { simpleParser, type AddressObject } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailerContract } from '../../../test/contracts/mailer.contract.ts';
import { startSmtpServer } from '../../../test/smtp-server.ts';
import { createSmtpMailer } from './smtp-mailer.ts';

const FROM = 'YOUng Chat <no-reply@youngchat.test>';

function firstAddress(field: AddressObject | AddressObject[] | undefined): string | undefined {
  const first = Array.isArray(field) ? field[0] : field;
  return first?.value[0]?.address;
}

describe('SMTP mailer', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp.close();
  });

  mailerContract(async () => {
    const mailer = createSmtpMailer({ url: smtp.url, from: FROM });
    return {
      mailer,
      // Parsed from the raw message, so headers and body encodings are checked end to end.
      readBack: async (to) =>
        Promise.all(
          smtp.received
            .filter((mail) => mail.rcptTo.includes(to))
            .map(async ({ raw }) => {
              const parsed = await simpleParser(raw);
              return {
                to: firstAddress(parsed.to) ?? '',
                subject: parsed.subject ?? '',
                // The line break that ends a MIME body part belongs to the framing, not to the text.
                text: (parsed.text ?? '').replace(/\n$/, ''),
              };
            }),
        ),
      cleanup: () => mailer.close(),
    };
  });

  it('sends from the configured address', async () => {
    const mailer = createSmtpMailer({ url: smtp.url, from: FROM });
    try {
      await mailer.send({ to: 'from-check@example.com', subject: 'from', text: 'from' });
    } finally {
      await mailer.close();
    }
    const mail = smtp.received.find((m) => m.rcptTo.includes('from-check@example.com'));
    expect(mail?.mailFrom).toBe('no-reply@youngchat.test');
    const parsed = await simpleParser(mail!.raw);
    expect(parsed.from?.value[0]).toEqual({ name: 'YOUng Chat', address: 'no-reply@youngchat.test' });
  });

  it('reports itself unhealthy when the server is down', async () => {
    const down = await startSmtpServer();
    await down.close();
    const mailer = createSmtpMailer({ url: down.url, from: FROM });
    try {
      await expect(mailer.check()).rejects.toThrow(/ECONNREFUSED/);
      await expect(mailer.send({ to: 'nobody@example.com', subject: 's', text: 't' })).rejects.toThrow();
    } finally {
      await mailer.close();
    }
  });
});
