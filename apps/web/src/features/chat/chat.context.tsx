import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../../lib/store.ts';
import type { Api } from '../../lib/trpc.ts';
import { useAuthSession } from '../auth/auth.hooks.ts';
import type { LiveStatus } from './chat.live.ts';
import type { OnlineSet } from './chat.presence.ts';
import { ChatSession } from './chat.session.ts';

const ChatContext = createContext<ChatSession | null>(null);
const NO_ONE: readonly string[] = [];

/**
 * The signed-in person's ChatSession for everything below, and its live stream while they are signed in. A new
 * person (or nobody) gets a new session, so nothing of the last one's carries over.
 */
export function ChatProvider({ me, api, children }: { me: string | null; api: Api; children: ReactNode }) {
  const queryClient = useQueryClient();
  const auth = useAuthSession();
  const { t } = useTranslation();
  const words = useRef({ title: '', photo: '' });
  words.current = { title: t('chat.notificationTitle'), photo: t('chat.photo') };
  const chat = useMemo(() => (me ? new ChatSession(me, { queryClient, api, auth }) : null), [me, queryClient, api, auth]);

  useEffect(() => {
    if (!chat) return;
    const stop = chat.connect(() => words.current);
    return () => {
      stop();
      chat.photos.clear();
    };
  }, [chat]);

  return <ChatContext value={chat}>{children}</ChatContext>;
}

/** The signed-in person's chat; only screens shown to someone signed in ask for it. */
export function useChat(): ChatSession {
  const chat = useContext(ChatContext);
  if (!chat) throw new Error('useChat is for signed-in screens, inside <ChatProvider>');
  return chat;
}

/** The chat of whoever is signed in, if anyone (signing out reaches for it on the way). */
export function useChatIfSignedIn(): ChatSession | null {
  return useContext(ChatContext);
}

export function useLiveStatus(): LiveStatus {
  return useStore(useChat().status);
}

export function useOnline(): OnlineSet {
  return useStore(useChat().online);
}

/** Who is typing in a room now; changes when someone starts or stops, and when a "typing" runs out. */
export function useTypingIn(roomId: string): readonly string[] {
  return useStore(useChat().typing.rooms).get(roomId) ?? NO_ONE;
}
