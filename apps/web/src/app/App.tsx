import { QueryClientProvider } from '@tanstack/react-query';
import type { i18n as I18n } from 'i18next';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { useAuth } from '../features/auth/auth.hooks.ts';
import { LogoutButton } from '../features/auth/logout-button.tsx';
import { ChatLive } from '../features/chat/chat.feed.ts';
import { queryClient } from '../lib/query-client.ts';
import { matchRoute, PATHS, useLocation } from '../lib/router.ts';
import { TRPCProvider, trpcClient } from '../lib/trpc.ts';
import { Link } from '../ui/link.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { Routes } from './routes.tsx';

function Shell() {
  const { t } = useTranslation();
  const auth = useAuth();
  const route = matchRoute(useLocation().pathname);
  // The chat screen has its own headers (list and room), and needs every line of a phone's height.
  const chatScreen = auth.status === 'signed-in' && (route === 'home' || route === 'room');
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      {chatScreen ? null : (
        <header className="app-header">
          <Link to={PATHS.home} className="brand">
            {t('app.name')}
          </Link>
          <div className="header-actions">
            {/* The settings page has its own. */}
            {route === 'settings' ? null : <LanguageSwitch />}
            {auth.status === 'signed-in' ? <LogoutButton /> : null}
          </div>
        </header>
      )}
      <main id="main" tabIndex={-1}>
        <Routes />
      </main>
      {auth.status === 'signed-in' ? <ChatLive key={auth.user.id} userId={auth.user.id} /> : null}
    </>
  );
}

export function App({ i18n }: { i18n: I18n }) {
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <Shell />
        </TRPCProvider>
      </QueryClientProvider>
    </I18nextProvider>
  );
}
