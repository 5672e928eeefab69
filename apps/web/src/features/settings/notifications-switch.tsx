import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notificationsSupported } from '../chat/chat.notify.ts';

/**
 * The person's own on/off, and the browser's permission under it. Permission is asked only when they switch it
 * on, never on page load: an unexpected browser question is confusing, and browsers penalise sites that ask
 * unprompted. Shown as on only when both say yes.
 */
export function NotificationsSwitch({ on, onChange }: { on: boolean; onChange: (on: boolean) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(() =>
    notificationsSupported() ? Notification.permission : 'unsupported',
  );
  const [asking, setAsking] = useState(false);

  const turn = (wanted: boolean) => {
    onChange(wanted);
    if (!wanted || permission !== 'default' || asking) return;
    setAsking(true);
    void Notification.requestPermission()
      .then(setPermission, () => setPermission(Notification.permission))
      .finally(() => setAsking(false));
  };

  const state =
    permission === 'unsupported'
      ? t('settings.notifyUnsupported')
      : asking
        ? t('settings.notifyAsking')
        : permission === 'denied'
          ? t('settings.notifyBlocked')
          : on && permission === 'granted'
            ? t('settings.notifyOn')
            : t('settings.notifyOff');
  return (
    <div className="notifications">
      <p className="choice">
        <input
          id={id}
          type="checkbox"
          role="switch"
          checked={on && permission === 'granted'}
          disabled={permission === 'unsupported' || permission === 'denied'}
          onChange={(e) => turn(e.target.checked)}
        />
        <label htmlFor={id}>{t('settings.notifications')}</label>
      </p>
      {/* Always in the page, so the browser's answer is announced when it arrives. */}
      <p role="status" className="notifications-state">
        {state}
      </p>
    </div>
  );
}
