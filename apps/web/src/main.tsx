// First: must run before any schema in @youngchat/shared is built.
import './lib/zod-csp.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { createServices } from './app/services.ts';
import { browserStorage } from './features/chat/chat.drafts.ts';
import { applyPrefs, readPrefs } from './features/settings/settings.prefs.ts';
import { createBrowserI18n } from './lib/i18n.ts';
import './app/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html must contain <div id="root">');

// Text size and contrast before anything is drawn, so the first paint is already the one the person chose.
applyPrefs(document.documentElement, readPrefs(browserStorage()));
const i18n = createBrowserI18n();
const services = createServices();
// Before the first render: the silent refresh from the cookie starts while React mounts.
services.session.start();

createRoot(root).render(
  <StrictMode>
    <App i18n={i18n} services={services} />
  </StrictMode>,
);
