import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Room, User } from '@youngchat/shared';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toProblem, type Problem } from '../../lib/problems.ts';
import { navigate, PATHS, roomPath } from '../../lib/router.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { ProblemMessage } from '../../ui/messages.tsx';
import { forgetRoom } from './chat.cache.ts';

/**
 * Blocking the other person of a 1:1 chat, after a plain question. The server takes me out of the room (my other
 * devices drop it from their lists when its room.updated arrives), so this screen goes back to the chat list.
 */
export function BlockPerson({ person, room }: { person: User; room: Room }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const block = useMutation(
    trpc.users.block.mutationOptions({
      // Here rather than in mutate(): the room's own room.updated can arrive first and replace this screen (the
      // room is gone), and callbacks given to mutate() do not run once their component has unmounted.
      onSuccess: () => {
        if (window.location.pathname === roomPath(room.id)) navigate(PATHS.home);
        forgetRoom(queryClient, room.id);
        void queryClient.invalidateQueries({ queryKey: trpc.users.blocked.queryKey() });
      },
    }),
  );
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const blockRef = useRef<HTMLButtonElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  const questionId = useId();

  useEffect(() => {
    // The safe answer first: a stray Enter must not block anyone.
    if (asking) keepRef.current?.focus();
  }, [asking]);

  const close = () => {
    setAsking(false);
    setProblem(null);
    requestAnimationFrame(() => blockRef.current?.focus());
  };

  const onBlock = () => {
    if (block.isPending) return;
    setProblem(null);
    block.mutate({ userId: person.id }, { onError: (error) => setProblem(toProblem(error)) });
  };

  const name = person.nickname;
  return (
    <div className="block-person">
      <p className="actions">
        <button type="button" ref={blockRef} className="button-danger" aria-expanded={asking} onClick={() => (asking ? close() : setAsking(true))}>
          {t('chat.block', { nickname: name })}
        </button>
      </p>
      {asking ? (
        <div
          className="confirm"
          role="group"
          aria-labelledby={questionId}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              close();
            }
          }}
        >
          <p id={questionId}>{t('chat.blockQuestion', { nickname: name })}</p>
          <p className="actions">
            <button type="button" ref={keepRef} className="button-secondary" onClick={close}>
              {t('chat.blockNo')}
            </button>
            <button type="button" className="button-danger" aria-disabled={block.isPending || undefined} onClick={onBlock}>
              {block.isPending ? t('chat.blocking') : t('chat.blockYes')}
            </button>
          </p>
          <ProblemMessage problem={problem} />
        </div>
      ) : null}
    </div>
  );
}
