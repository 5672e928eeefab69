import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../app/language-switch.tsx';
import { PATHS } from '../../lib/router.ts';
import { Link } from '../../ui/link.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { browserStorage } from '../chat/chat.drafts.ts';
import { NotificationsSwitch } from './notifications-switch.tsx';
import { applyPrefs, readPrefs, TEXT_SIZES, writePrefs, type Prefs } from './settings.prefs.ts';

/** The browser's settings as state: each change is saved and applied to the page at once (its own preview). */
function usePrefs(): [Prefs, (change: Partial<Prefs>) => void] {
  const [prefs, setPrefs] = useState(() => readPrefs(browserStorage()));
  const update = (change: Partial<Prefs>) => {
    const next = { ...prefs, ...change };
    writePrefs(browserStorage(), next);
    applyPrefs(document.documentElement, next);
    setPrefs(next);
  };
  return [prefs, update];
}

/** Also for visitors (text size, contrast, language); notifications and the account need a sign-in. */
export function SettingsPage({ signedIn }: { signedIn: boolean }) {
  const { t } = useTranslation();
  const [prefs, update] = usePrefs();
  const contrastId = useId();
  return (
    <div className="page narrow settings">
      <PageHeading title={t('settings.title')} />
      <p className="aside">
        <Link to={PATHS.home}>{t('chat.backToChats')}</Link>
      </p>

      <section className="panel" aria-labelledby="settings-look">
        <h2 id="settings-look">{t('settings.lookHeading')}</h2>
        <fieldset className="choice-group">
          <legend>{t('settings.textSize')}</legend>
          {TEXT_SIZES.map((size) => (
            <label key={size} className="choice">
              <input type="radio" name="text-size" value={size} checked={prefs.textSize === size} onChange={() => update({ textSize: size })} />
              {t(`settings.textSizes.${size}`)}
            </label>
          ))}
        </fieldset>
        <p className="hint">{t('settings.textSizeHint')}</p>
        <p className="choice">
          <input id={contrastId} type="checkbox" checked={prefs.highContrast} onChange={(e) => update({ highContrast: e.target.checked })} />
          <label htmlFor={contrastId}>{t('settings.highContrast')}</label>
        </p>
        <LanguageSwitch />
      </section>

      {signedIn ? (
        <>
          <section className="panel" aria-labelledby="settings-notifications">
            <h2 id="settings-notifications">{t('settings.notificationsHeading')}</h2>
            <NotificationsSwitch on={prefs.notifications} onChange={(notifications) => update({ notifications })} />
          </section>
          {/* Logging out is in the page's top bar, where it is on every page but the chat screen. */}
          <section className="panel" aria-labelledby="settings-account">
            <h2 id="settings-account">{t('settings.accountHeading')}</h2>
            <ul className="link-list">
              <li>
                <Link to={PATHS.profile}>{t('home.profileLink')}</Link>
              </li>
              <li>
                <Link to={PATHS.account}>{t('account.title')}</Link>
              </li>
            </ul>
          </section>
        </>
      ) : null}
    </div>
  );
}
