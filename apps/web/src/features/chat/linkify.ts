/**
 * Finds web links in a message so they can be drawn as links; everything else stays plain text (React escapes
 * it). Only http and https become links: `javascript:`, `data:` and every other scheme are words, never hrefs.
 */
export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// A link runs until whitespace or a character that cannot be part of a URL in running text.
const CANDIDATE = /https?:\/\/[^\s<>"'`]+/giu;
// Sentence punctuation right after a link belongs to the sentence: "see https://a.example/x."
const PUNCTUATION = /[.,;:!?'"”’\]}>]/u;

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

function trimTrailing(candidate: string): string {
  let end = candidate.length;
  while (end > 0) {
    const char = candidate[end - 1]!;
    if (char === ')') {
      // Kept when it closes a bracket opened inside the link (Wikipedia-style "…_(film)").
      const inside = candidate.slice(0, end);
      if (count(inside, '(') >= count(inside, ')')) break;
    } else if (!PUNCTUATION.test(char)) break;
    end--;
  }
  return candidate.slice(0, end);
}

function safeHref(text: string): string | null {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (!url.hostname || url.username || url.password) return null; // "https://bank.example@evil.example" misleads
    return url.href;
  } catch {
    return null;
  }
}

export function linkify(body: string): Segment[] {
  const segments: Segment[] = [];
  let from = 0;
  const pushText = (text: string) => {
    if (!text) return;
    const last = segments.at(-1);
    if (last?.kind === 'text') last.text += text;
    else segments.push({ kind: 'text', text });
  };
  for (const match of body.matchAll(CANDIDATE)) {
    const start = match.index;
    // Inside a word ("xhttps://…") it is not a link someone meant.
    if (start > 0 && /[\p{L}\p{N}_]/u.test(body[start - 1]!)) continue;
    const text = trimTrailing(match[0]);
    const href = safeHref(text);
    if (!href) continue;
    pushText(body.slice(from, start));
    segments.push({ kind: 'link', text, href });
    from = start + text.length;
  }
  pushText(body.slice(from));
  return segments;
}
