import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../ports/mailer.ts';
import { OUTBOX_PAGE_CSP, renderOutboxPage } from './dev-outbox.page.ts';

const entry = (overrides: Partial<OutboxEntry>): OutboxEntry => ({
  id: '00000000-0000-4000-8000-000000000000',
  sentAt: '2025-01-01T00:00:00.000Z',
  to: 'a@example.com',
  subject: 'subject',
  text: 'text',
  ...overrides,
});

describe('renderOutboxPage', () => {
  it('escapes everything that came from a mail', () => {
    const page = renderOutboxPage([
      entry({
        to: '"><img src=x onerror=alert(1)>@example.com',
        subject: '<script>alert("hi")</script>',
        text: "</pre><script>alert('x')</script> & 인증 코드",
      }),
    ]);
    expect(page).not.toMatch(/<script|<img/i);
    expect(page).toContain('&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;@example.com');
    expect(page).toContain('&lt;/pre&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; 인증 코드');
  });

  it('lists the newest mail first', () => {
    const page = renderOutboxPage([entry({ subject: 'older' }), entry({ subject: 'newer' })]);
    expect(page.indexOf('newer')).toBeLessThan(page.indexOf('older'));
    expect(page).toContain('<html lang="en">');
  });

  it('says so when there is no mail', () => {
    expect(renderOutboxPage([])).toContain('No mail yet.');
  });

  it('allows exactly its own stylesheet under its CSP', () => {
    const page = renderOutboxPage([entry({})]);
    const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256').update(styles[0]!).digest('base64');
    expect(OUTBOX_PAGE_CSP).toBe(`default-src 'none'; style-src 'sha256-${hash}'`);
    expect(page).not.toMatch(/ style=/);
  });
});
