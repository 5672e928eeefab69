import type { ReplyQuote } from '@youngchat/shared';
import { useTranslation } from 'react-i18next';
import { quoteText } from './chat.format.ts';

/** A reply's quote above its words: who said what; choosing it goes to that message. */
export function QuoteButton({ quote, name, onGo }: { quote: ReplyQuote; name: string; onGo: (messageId: string) => void }) {
  const { t } = useTranslation();
  const text = quoteText(quote, t);
  return (
    // Named by what it shows (as axe asks), with the why and the where said around it.
    <button type="button" className="reply-quote" data-deleted={quote.deleted || undefined} onClick={() => onGo(quote.id)}>
      <span className="visually-hidden">{t('chat.inReplyTo')} </span>
      <span className="reply-quote-name">{name}</span> <span className="reply-quote-text">{text}</span>
      <span className="visually-hidden"> {t('chat.goToOriginal')}</span>
    </button>
  );
}

/** Over the composer while answering: what is being answered, and a way out of it (Escape does the same). */
export function ReplyingBar({ quote, name, id, onCancel }: { quote: ReplyQuote; name: string; id: string; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="replying">
      <p id={id} className="replying-text">
        <span className="reply-quote-name">{t('chat.replyingTo', { name })}</span>
        <span className="reply-quote-text">{quoteText(quote, t)}</span>
      </p>
      <button type="button" className="button-secondary icon-button" aria-label={t('chat.cancelReply')} onClick={onCancel}>
        <span aria-hidden="true">✕</span>
      </button>
    </div>
  );
}
