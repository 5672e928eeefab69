import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../features/auth/auth.hooks.ts';
import { LoginPage } from '../features/auth/login.page.tsx';
import { ChatShell } from '../features/chat/chat-shell.tsx';
import { NewChatPage } from '../features/chat/new-chat.page.tsx';
import { HomePage } from '../features/home/home.page.tsx';
import { matchRoute, navigate, PATHS, roomIdFromPath, useLocation } from '../lib/router.ts';
import { NotFoundPage } from './not-found.page.tsx';

// Pages away from the chat load when first opened, so the first screen carries less JavaScript.
const AccountPage = lazy(() => import('../features/account/account.page.tsx').then((m) => ({ default: m.AccountPage })));
const ResetPasswordPage = lazy(() => import('../features/auth/reset-password.page.tsx').then((m) => ({ default: m.ResetPasswordPage })));
const SignUpPage = lazy(() => import('../features/auth/signup.page.tsx').then((m) => ({ default: m.SignUpPage })));
const VerifyPage = lazy(() => import('../features/auth/verify.page.tsx').then((m) => ({ default: m.VerifyPage })));
const NewGroupPage = lazy(() => import('../features/chat/new-group.page.tsx').then((m) => ({ default: m.NewGroupPage })));
const ProfilePage = lazy(() => import('../features/profile/profile.page.tsx').then((m) => ({ default: m.ProfilePage })));
const SettingsPage = lazy(() => import('../features/settings/settings.page.tsx').then((m) => ({ default: m.SettingsPage })));

function Loading({ label }: { label: string }) {
  return (
    <div className="page" aria-busy="true">
      <p className="lead">{label}</p>
    </div>
  );
}

/** Sends the person elsewhere without leaving the wrong page in their history (Back must not bounce). */
function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function Routes() {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<Loading label={t('app.loading')} />}>
      <Page />
    </Suspense>
  );
}

function Page(): ReactNode {
  const { t } = useTranslation();
  const auth = useAuth();
  const { pathname, search } = useLocation();
  const route = matchRoute(pathname);

  // Until the silent refresh answers we do not know who this is; showing "Log in" for a moment would mislead.
  if (auth.status === 'restoring') return <Loading label={t('app.loading')} />;

  const toLogin = <Redirect to={`${PATHS.login}?${new URLSearchParams({ next: pathname + search })}`} />;

  switch (route) {
    case 'home':
      // The same shell (same key) as a room's, so going back to the list keeps it as it was.
      return auth.status === 'signed-in' ? <ChatShell key={auth.user.id} me={auth.user} roomId={null} /> : <HomePage auth={auth} />;
    case 'new-chat':
      return auth.status === 'signed-in' ? <NewChatPage key={auth.user.id} me={auth.user} /> : toLogin;
    case 'new-group':
      return auth.status === 'signed-in' ? <NewGroupPage key={auth.user.id} me={auth.user} /> : toLogin;
    case 'room':
      return auth.status === 'signed-in' ? <ChatShell key={auth.user.id} me={auth.user} roomId={roomIdFromPath(pathname)!} /> : toLogin;
    case 'signup':
      return auth.status === 'signed-in' ? <Redirect to={PATHS.home} /> : <SignUpPage />;
    case 'verify':
      return auth.status === 'signed-in' ? <Redirect to={PATHS.home} /> : <VerifyPage />;
    case 'login':
      return auth.status === 'signed-in' ? <Redirect to={PATHS.home} /> : <LoginPage />;
    case 'reset-password':
      return auth.status === 'signed-in' ? <Redirect to={PATHS.home} /> : <ResetPasswordPage />;
    case 'profile':
      return auth.status === 'signed-in' ? <ProfilePage key={auth.user.id} user={auth.user} /> : toLogin;
    case 'account':
      return auth.status === 'signed-in' ? <AccountPage key={auth.user.id} /> : toLogin;
    case 'settings':
      return <SettingsPage signedIn={auth.status === 'signed-in'} />;
    case 'not-found':
      return <NotFoundPage />;
  }
}
