import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { User } from '@youngchat/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toProblem, type Problem } from '../../lib/problems.ts';
import { navigate, PATHS, roomPath } from '../../lib/router.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { Link } from '../../ui/link.tsx';
import { ProblemMessage } from '../../ui/messages.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { PeopleSearch } from './people-search.tsx';
import { useChat } from './chat.context.tsx';

/** Find a person → their 1:1 chat (the same one every time: opening it twice never makes a second room). */
export function NewChatPage({ me }: { me: User }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const chat = useChat();
  const open = useMutation(trpc.rooms.openDirect.mutationOptions());
  const unblock = useMutation(trpc.users.unblock.mutationOptions());
  const [problem, setProblem] = useState<Problem | null>(null);
  /** Whom the problem is about: BLOCKED offers to unblock them right here. */
  const [problemWith, setProblemWith] = useState<User | null>(null);

  const start = (user: User) => {
    if (open.isPending) return;
    setProblem(null);
    open.mutate(
      { userId: user.id },
      {
        onSuccess: (room) => {
          void chat.cache.applyRoom(room);
          navigate(roomPath(room.id));
        },
        onError: (error) => {
          setProblem(toProblem(error));
          setProblemWith(user);
        },
      },
    );
  };

  const unblockAndStart = (user: User) => {
    if (unblock.isPending || open.isPending) return;
    // The question stays on screen (and the button with focus) until the chat opens.
    unblock.mutate(
      { userId: user.id },
      {
        onSuccess: () => {
          void queryClient.invalidateQueries({ queryKey: trpc.users.blocked.queryKey() });
          start(user);
        },
        onError: (error) => setProblem(toProblem(error)),
      },
    );
  };

  return (
    <div className="page narrow">
      <PageHeading title={t('chat.newChatTitle')} />
      <p className="lead">{t('chat.newChatIntro')}</p>
      <PeopleSearch
        me={me.id}
        action={(user) => (
          <button
            type="button"
            className="button-primary"
            aria-label={t('chat.chatWith', { nickname: user.nickname })}
            aria-disabled={open.isPending || undefined}
            onClick={() => start(user)}
          >
            {open.isPending && open.variables?.userId === user.id ? t('chat.opening') : t('chat.chat')}
          </button>
        )}
      />
      <ProblemMessage problem={problem} />
      {problem?.code === 'BLOCKED' && problemWith ? (
        <p className="actions">
          <button type="button" className="button-primary" aria-disabled={unblock.isPending || undefined} onClick={() => unblockAndStart(problemWith)}>
            {unblock.isPending ? t('profile.unblocking') : t('chat.unblockAndChat', { nickname: problemWith.nickname })}
          </button>
        </p>
      ) : null}
      <p className="aside">
        <Link to={PATHS.home}>{t('chat.backToChats')}</Link>
      </p>
    </div>
  );
}
