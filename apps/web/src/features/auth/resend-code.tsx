import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Notice } from '../../ui/messages.tsx';
import { cooldownSecondsLeft } from './pending-signup.ts';
import { useNow } from './use-now.ts';

/**
 * "No email?" and a button for a new code, counting down while another would be refused; `resent` says a new
 * one went out. `sentAt` is when the last code was sent (null: unknown, so no wait).
 */
export function ResendCode({ sentAt, busy, resent, onResend }: { sentAt: number | null; busy: boolean; resent: boolean; onResend: () => void }) {
  const { t } = useTranslation();
  const counting = sentAt !== null && cooldownSecondsLeft(sentAt, Date.now()) > 0;
  const secondsLeft = cooldownSecondsLeft(sentAt ?? 0, useNow(counting));

  const onClick = (event: MouseEvent) => {
    event.preventDefault();
    // aria-disabled rather than disabled: the button keeps focus while it counts down, so nobody gets lost.
    if (secondsLeft > 0 || busy) return;
    onResend();
  };

  const label = busy ? t('auth.resending') : secondsLeft > 0 ? t('auth.resendWait', { count: secondsLeft }) : t('auth.resend');
  return (
    <div className="resend">
      <p>{t('auth.verifySpam')}</p>
      <button type="button" className="button-secondary" aria-disabled={secondsLeft > 0 || busy ? true : undefined} onClick={onClick}>
        {label}
      </button>
      <Notice>{resent ? t('auth.resent') : null}</Notice>
    </div>
  );
}
