import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { DevOutbox, Mailer, OutboxEntry } from '../../ports/mailer.ts';

const OUTBOX_SIZE = 100;
const DEV_OUTBOX_PATH = '/dev/outbox';

/**
 * Keeps mail in memory instead of sending it, so sign-up works on a laptop with no SMTP server.
 * `list()` returns the kept mail oldest first.
 */
export function createConsoleMailer(options: { logger: Logger }): Mailer & DevOutbox {
  const entries: OutboxEntry[] = [];
  return {
    name: 'mailer',
    kind: 'console',
    async send(mail) {
      const entry: OutboxEntry = Object.freeze({ ...mail, id: randomUUID(), sentAt: new Date().toISOString() });
      entries.push(entry);
      // Bounded so a long-running dev server (or a load test) cannot grow memory without limit.
      if (entries.length > OUTBOX_SIZE) entries.shift();
      // The body carries sign-up codes and the address is personal data: log only enough to find the mail.
      options.logger.info(
        {
          toDomain: mail.to.slice(mail.to.lastIndexOf('@') + 1),
          subject: mail.subject,
          outboxId: entry.id,
          outbox: DEV_OUTBOX_PATH,
        },
        'mail kept in dev outbox',
      );
    },
    list: () => [...entries],
    check: async () => {},
    close: async () => {},
  };
}
