import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
}

/** A real SMTP server on a free port that keeps every message it accepts. */
export async function startSmtpServer() {
  const received: Received[] = [];
  const server = new SMTPServer({
    // smtp-server's built-in self-signed certificate has expired, so offering STARTTLS would make
    // nodemailer's opportunistic upgrade fail; plain SMTP on loopback is what this test needs.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      buffer(stream).then(
        (raw) => {
          received.push({
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            rcptTo: session.envelope.rcptTo.map((a) => a.address),
            raw,
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The text bodies of the mails received for `to`, oldest first. */
export async function textsTo(received: Received[], to: string): Promise<string[]> {
  const texts: string[] = [];
  for (const mail of received) {
    if (mail.rcptTo.includes(to)) texts.push((await simpleParser(mail.raw)).text ?? '');
  }
  return texts;
}
