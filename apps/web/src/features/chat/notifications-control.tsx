import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notificationsSupported } from './chat.notify.ts';

/**
 * Permission is asked only when the person presses the button, never on page load: an unexpected browser
 * question is confusing, and browsers penalise sites that ask unprompted.
 */
export function NotificationsControl() {
  const { t } = useTranslation();
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(() =>
    notificationsSupported() ? Notification.permission : 'unsupported',
  );
  const [asking, setAsking] = useState(false);
  if (permission === 'unsupported') return null;

  const ask = () => {
    if (asking) return;
    setAsking(true);
    void Notification.requestPermission()
      .then(setPermission, () => setPermission(Notification.permission))
      .finally(() => setAsking(false));
  };

  return (
    <div className="notifications">
      {permission === 'default' ? (
        <button type="button" className="button-secondary" onClick={ask} aria-disabled={asking || undefined}>
          {asking ? t('chat.notifyAsking') : t('chat.notifyTurnOn')}
        </button>
      ) : null}
      {/* Always in the page, so the answer is announced when it arrives. */}
      <p role="status" className="notifications-state">
        {permission === 'granted' ? t('chat.notifyOn') : permission === 'denied' ? t('chat.notifyBlocked') : null}
      </p>
    </div>
  );
}
