import { useTranslation } from 'react-i18next';
import { PATHS } from '../../lib/router.ts';
import { Avatar } from '../../ui/avatar.tsx';
import { Link } from '../../ui/link.tsx';
import { Notice } from '../../ui/messages.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import type { AuthState } from '../auth/auth.store.ts';
import { SystemPanels } from '../system/system.panels.tsx';

export function HomePage({ auth }: { auth: Exclude<AuthState, { status: 'restoring' }> }) {
  const { t } = useTranslation();
  return (
    <div className="page">
      {auth.status === 'signed-in' ? (
        <>
          <div className="greeting">
            <Avatar user={auth.user} size="small" />
            <PageHeading title={t('app.home')}>{t('home.titleSignedIn', { nickname: auth.user.nickname })}</PageHeading>
          </div>
          <p className="lead">{t('home.introSignedIn')}</p>
          <p className="actions">
            <Link to={PATHS.profile} className="button-link">
              {t('home.profileLink')}
            </Link>
          </p>
        </>
      ) : (
        <>
          <PageHeading title={t('app.home')}>{t('home.titleSignedOut')}</PageHeading>
          <p className="lead">{t('home.introSignedOut')}</p>
          <Notice>{auth.reason === 'logged-out' ? t('auth.signedOut') : null}</Notice>
          <div className="choices">
            <p>
              {t('home.haveAccount')}
              <Link to={PATHS.login} className="button-link">
                {t('auth.logIn')}
              </Link>
            </p>
            <p>
              {t('home.newHere')}
              <Link to={PATHS.signup} className="button-link">
                {t('auth.signUp')}
              </Link>
            </p>
          </div>
        </>
      )}
      <SystemPanels />
    </div>
  );
}
