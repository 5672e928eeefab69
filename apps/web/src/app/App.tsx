import { QueryClientProvider } from '@tanstack/react-query';
import type { i18n as I18n } from 'i18next';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { AuthContext, useAuth } from '../features/auth/auth.hooks.ts';
import { LogoutButton } from '../features/auth/logout-button.tsx';
import { ChatProvider } from '../features/chat/chat.context.tsx';
import { matchRoute, PATHS, useLocation } from '../lib/router.ts';
import { TRPCProvider, type Api } from '../lib/trpc.ts';
import { Link } from '../ui/link.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { Routes } from './routes.tsx';
import type { Services } from './services.ts';

function Shell({ api }: { api: Api }) {
  const { t } = useTranslation();
  const auth = useAuth();
  const route = matchRoute(useLocation().pathname);
  // The chat screen has its own headers (list and room), and needs every line of a phone's height.
  const chatScreen = auth.status === 'signed-in' && (route === 'home' || route === 'room');
  return (
    // The signed-in person's live chat, for every screen; a new one for each person who signs in.
    <ChatProvider me={auth.status === 'signed-in' ? auth.user.id : null} api={api}>
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
    </ChatProvider>
  );
}

export function App({ i18n, services }: { i18n: I18n; services: Services }) {
  const { queryClient, api, session } = services;
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={api.client} queryClient={queryClient}>
          <AuthContext value={session}>
            <Shell api={api} />
          </AuthContext>
        </TRPCProvider>
      </QueryClientProvider>
    </I18nextProvider>
  );
}
