import { useTranslation } from 'react-i18next';
import { PATHS } from '../../lib/router.ts';
import { Link } from '../../ui/link.tsx';
import { Notice } from '../../ui/messages.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import type { AuthState, SignedOutReason } from '../auth/auth.store.ts';

/** Why nobody is signed in any more, said on the welcome page they land on. */
const SIGNED_OUT_WORDS = {
  'logged-out': 'auth.signedOut',
  // Ended from elsewhere (another device signed this one out, the password was changed) or simply ran out.
  expired: 'errors.SESSION_EXPIRED',
  'account-deleted': 'auth.accountDeleted',
} as const satisfies Record<NonNullable<SignedOutReason>, string>;

/** The welcome for visitors; signed-in people get their chats instead (features/chat/chats.page.tsx). */
export function HomePage({ auth }: { auth: Extract<AuthState, { status: 'signed-out' }> }) {
  const { t } = useTranslation();
  return (
    <div className="page">
      <PageHeading title={t('app.home')}>{t('home.titleSignedOut')}</PageHeading>
      <p className="lead">{t('home.introSignedOut')}</p>
      <Notice>{auth.reason ? t(SIGNED_OUT_WORDS[auth.reason]) : null}</Notice>
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
    </div>
  );
}
