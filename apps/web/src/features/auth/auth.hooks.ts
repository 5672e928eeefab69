import { createContext, useContext } from 'react';
import { useStore } from '../../lib/store.ts';
import type { AuthSession } from './auth.session.ts';
import type { AuthState } from './auth.store.ts';

/** The app's one AuthSession (made in app/services.ts), for the screens. */
export const AuthContext = createContext<AuthSession | null>(null);

export function useAuthSession(): AuthSession {
  const session = useContext(AuthContext);
  if (!session) throw new Error('useAuthSession needs <AuthContext> around it');
  return session;
}

export function useAuth(): AuthState {
  return useStore(useAuthSession().store.state);
}
