import type { AdapterKinds } from '@youngchat/shared';
import type { Dependency } from './dependency.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer extends Dependency {
  readonly kind: AdapterKinds['mailer'];
  send(mail: MailMessage): Promise<void>;
}

export interface OutboxEntry extends MailMessage {
  id: string;
  sentAt: string;
}

/** The embedded mailer keeps recent mail here so a developer can read it without an SMTP server. */
export interface DevOutbox {
  list(): readonly OutboxEntry[];
}
