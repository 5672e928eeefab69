import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Mailer, MailMessage } from '../../src/ports/mailer.ts';
import { uniqueName } from '../services.ts';

export interface MailerUnderTest {
  mailer: Mailer;
  /** Every mail that reached `to`, as the receiving side sees it. */
  readBack: (to: string) => Promise<MailMessage[]>;
  cleanup: () => Promise<void>;
}

/** The behaviour every Mailer adapter must share; `makeMailer` runs before each test. */
export function mailerContract(makeMailer: () => Promise<MailerUnderTest>): void {
  let subject: MailerUnderTest;
  // Unique per test, so adapters backed by one shared server need no reset between tests.
  const recipient = () => `${uniqueName('user')}@example.com`;

  beforeEach(async () => {
    subject = await makeMailer();
  });
  afterEach(async () => {
    await subject.cleanup();
  });

  it('delivers to, subject and text intact, including Korean and emoji', async () => {
    const to = recipient();
    const mail = {
      to,
      subject: 'YOUng Chat 인증 코드 🔐',
      text: '인증 코드: 482913 🎉\n10분 안에 입력하세요.\nYour code expires in 10 minutes.',
    };
    await subject.mailer.send(mail);
    const received = await subject.readBack(to);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject(mail);
  });

  it('delivers several mails, each once, to its own recipient', async () => {
    const recipients = [recipient(), recipient(), recipient()];
    await Promise.all(
      recipients.map((to, i) => subject.mailer.send({ to, subject: `mail ${i}`, text: `hello ${i}` })),
    );
    for (const [i, to] of recipients.entries()) {
      const received = await subject.readBack(to);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ to, subject: `mail ${i}`, text: `hello ${i}` });
    }
  });

  it('reports itself healthy', async () => {
    await expect(subject.mailer.check()).resolves.toBeUndefined();
  });
}
