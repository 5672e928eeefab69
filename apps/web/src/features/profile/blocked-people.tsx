import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { User } from '@youngchat/shared';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toProblem, type Problem } from '../../lib/problems.ts';
import { PATHS } from '../../lib/router.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { displayName } from '../../ui/display-name.ts';
import { PersonRow } from '../../ui/person-row.tsx';
import { Link } from '../../ui/link.tsx';
import { Notice, ProblemMessage } from '../../ui/messages.tsx';

/** Everyone I blocked, newest first, each with a way back. */
export function BlockedPeople() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const blocked = useQuery(trpc.users.blocked.queryOptions());
  const unblock = useMutation(trpc.users.unblock.mutationOptions());
  const [problem, setProblem] = useState<Problem | null>(null);
  const [unblocked, setUnblocked] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const onUnblock = (user: User) => {
    if (unblock.isPending) return;
    setProblem(null);
    setUnblocked(null);
    unblock.mutate(
      { userId: user.id },
      {
        onSuccess: () => {
          queryClient.setQueryData(trpc.users.blocked.queryKey(), (list) => list?.filter((u) => u.id !== user.id));
          void queryClient.invalidateQueries({ queryKey: trpc.users.blocked.queryKey() });
          setUnblocked(displayName(user, t));
          // The button that had focus is gone with its row: keep the person in this section.
          headingRef.current?.focus();
        },
        onError: (error) => setProblem(toProblem(error)),
      },
    );
  };

  return (
    <section className="panel blocked-people" aria-labelledby="blocked-heading" aria-busy={blocked.isPending}>
      <h2 id="blocked-heading" ref={headingRef} tabIndex={-1}>
        {t('profile.blockedHeading')}
      </h2>
      <p className="hint">{t('profile.blockedIntro')}</p>
      {blocked.isPending ? <p>{t('app.loading')}</p> : null}
      {blocked.isError && !blocked.data ? (
        <p className="problem">
          {t('profile.blockedError')}{' '}
          <button type="button" className="button-secondary" onClick={() => void blocked.refetch()}>
            {t('chat.tryAgain')}
          </button>
        </p>
      ) : null}
      {blocked.data?.length === 0 ? <p>{t('profile.blockedNone')}</p> : null}
      {blocked.data?.length ? (
        <ul className="people">
          {blocked.data.map((user) => (
            <PersonRow key={user.id} user={user}>
              <button
                type="button"
                className="button-secondary"
                aria-label={t('profile.unblockNickname', { nickname: displayName(user, t) })}
                aria-disabled={unblock.isPending || undefined}
                onClick={() => onUnblock(user)}
              >
                {unblock.isPending && unblock.variables?.userId === user.id ? t('profile.unblocking') : t('profile.unblock')}
              </button>
            </PersonRow>
          ))}
        </ul>
      ) : null}
      <ProblemMessage problem={problem} />
      <Notice>{unblocked ? t('profile.unblocked', { nickname: unblocked }) : null}</Notice>
      {unblocked ? (
        <p className="aside">
          <Link to={PATHS['new-chat']}>{t('chat.newChat')}</Link>
        </p>
      ) : null}
    </section>
  );
}
