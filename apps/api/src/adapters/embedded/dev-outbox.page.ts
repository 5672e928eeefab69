import { createHash } from 'node:crypto';
import type { OutboxEntry } from '../../ports/mailer.ts';

const STYLE = `
body { font: 18px/1.5 system-ui, sans-serif; color: #111; background: #fff; max-width: 48rem; margin: 0 auto; padding: 1rem; }
article { border-top: 2px solid #444; padding: 0.5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 0.5rem 0; }
pre { font-size: 18px; white-space: pre-wrap; overflow-wrap: anywhere; background: #f2f2f2; padding: 0.75rem; }
`;

/** Serve the page with this: its one inline stylesheet is allowed by hash, and nothing else may load or run. */
export const OUTBOX_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/**
 * The developer's view of mail the embedded mailer kept. Mail content is whatever a user typed at sign-up
 * (a nickname, an address), so every value is escaped; the HTML part is not rendered at all.
 * `entries` in the order sent (as `DevOutbox.list()` returns them); the page shows the newest first.
 */
export function renderOutboxPage(entries: readonly OutboxEntry[]): string {
  const items = [...entries]
    .reverse()
    .map(
      (mail) => `<article>
<h2>${escapeHtml(mail.subject)}</h2>
<p>To <strong>${escapeHtml(mail.to)}</strong> · <time datetime="${escapeHtml(mail.sentAt)}">${escapeHtml(mail.sentAt)}</time></p>
<pre>${escapeHtml(mail.text)}</pre>
</article>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Dev outbox · YOUng Chat</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Dev outbox</h1>
<p>Mail the API would have sent, newest first. Only recent mail is kept, in memory.</p>
${items || '<p>No mail yet.</p>'}
</body>
</html>
`;
}
