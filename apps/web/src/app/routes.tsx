import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../features/auth/auth.hooks.ts';
import { LoginPage } from '../features/auth/login.page.tsx';
import { SignUpPage } from '../features/auth/signup.page.tsx';
import { VerifyPage } from '../features/auth/verify.page.tsx';
import { HomePage } from '../features/home/home.page.tsx';
import { ProfilePage } from '../features/profile/profile.page.tsx';
import { matchRoute, navigate, PATHS, useLocation } from '../lib/router.ts';
import { NotFoundPage } from './not-found.page.tsx';

/** Sends the person elsewhere without leaving the wrong page in their history (Back must not bounce). */
function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function Routes() {
  const { t } = useTranslation();
  const auth = useAuth();
  const { pathname, search } = useLocation();
  const route = matchRoute(pathname);

  // Until the silent refresh answers we do not know who this is; showing "Log in" for a moment would mislead.
  if (auth.status === 'restoring') {
    return (
      <div className="page" aria-busy="true">
        <p className="lead">{t('app.loading')}</p>
      </div>
    );
  }

  switch (route) {
    case 'home':
      return <HomePage auth={auth} />;
    case 'signup':
      return auth.status === 'signed-in' ? <Redirect to={PATHS.home} /> : <SignUpPage />;
    case 'verify':
      return auth.status === 'signed-in' ? <Redirect to={PATHS.home} /> : <VerifyPage />;
    case 'login':
      return auth.status === 'signed-in' ? <Redirect to={PATHS.home} /> : <LoginPage />;
    case 'profile':
      return auth.status === 'signed-in' ? (
        <ProfilePage key={auth.user.id} user={auth.user} />
      ) : (
        <Redirect to={`${PATHS.login}?${new URLSearchParams({ next: pathname + search })}`} />
      );
    case 'not-found':
      return <NotFoundPage />;
  }
}
