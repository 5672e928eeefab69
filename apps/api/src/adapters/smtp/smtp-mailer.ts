import nodemailer from 'nodemailer';
import type { Mailer } from '../../ports/mailer.ts';

/** `url` is a nodemailer connection URL, e.g. `smtps://user:pass@smtp.example.com:465`. */
export function createSmtpMailer(options: { url: string; from: string }): Mailer {
  const transporter = nodemailer.createTransport(
    {
      url: options.url,
      pool: true,
      // nodemailer waits up to 2 minutes by default; /healthz and sign-up should fail well before that.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
    },
    { from: options.from },
  );
  return {
    name: 'mailer',
    kind: 'smtp',
    async send(mail) {
      await transporter.sendMail({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    },
    async check() {
      await transporter.verify();
    },
    async close() {
      transporter.close();
    },
  };
}
