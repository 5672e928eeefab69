import { describe, expect, it } from 'vitest';
import { linkify } from './linkify.ts';

const links = (body: string) => linkify(body).filter((s) => s.kind === 'link');

describe('linkify', () => {
  it('turns http and https addresses into links and keeps the words around them', () => {
    expect(linkify('See https://example.com/a?b=1 and http://x.example!')).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.example', href: 'http://x.example/' },
      { kind: 'text', text: '!' },
    ]);
  });

  it('leaves every other scheme as plain text', () => {
    for (const body of [
      'javascript:alert(1)',
      'JavaScript:alert(document.cookie)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://files.example/x',
      '<a href="javascript:alert(1)">click</a>',
    ]) {
      expect(linkify(body), body).toEqual([{ kind: 'text', text: body }]);
    }
  });

  it('a link hidden inside another word or scheme is never a javascript: href', () => {
    for (const segment of [...links('javascript://https://a.example/%0aalert(1)'), ...links('xhttps://a.example')]) {
      expect(segment.href).toMatch(/^https?:\/\//);
    }
    expect(links('xhttps://a.example')).toEqual([]);
  });

  it('leaves sentence punctuation out of the link, but keeps brackets that belong to it', () => {
    expect(links('Look (https://example.com/x).').map((l) => l.text)).toEqual(['https://example.com/x']);
    expect(links('https://en.wikipedia.org/wiki/Up_(film), nice').map((l) => l.text)).toEqual(['https://en.wikipedia.org/wiki/Up_(film)']);
    expect(links('“https://example.com/q”').map((l) => l.text)).toEqual(['https://example.com/q']);
  });

  it('refuses addresses that hide where they go', () => {
    expect(links('https://bank.example@evil.example/')).toEqual([]);
    expect(links('https://')).toEqual([]);
  });

  it('keeps Korean text and line breaks as they are', () => {
    expect(linkify('안녕하세요\nhttps://example.com 보세요')).toEqual([
      { kind: 'text', text: '안녕하세요\n' },
      { kind: 'link', text: 'https://example.com', href: 'https://example.com/' },
      { kind: 'text', text: ' 보세요' },
    ]);
  });

  it('joins nothing and loses nothing', () => {
    const body = 'a https://a.example b https://b.example c';
    expect(linkify(body).map((s) => s.text).join('')).toBe(body);
  });
});
