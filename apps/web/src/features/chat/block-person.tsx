import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Room, User } from '@youngchat/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toProblem, type Problem } from '../../lib/problems.ts';
import { navigate, PATHS, roomPath } from '../../lib/router.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { ConfirmStep } from '../../ui/confirm-step.tsx';
import { Dialog } from '../../ui/dialog.tsx';
import { useChat } from './chat.context.tsx';

/**
 * Blocking the other person of a 1:1 chat, after a plain question. The server takes me out of the room (my other
 * devices drop it from their lists when its room.updated arrives), so this screen goes back to the chat list.
 */
export function BlockDialog({ person, room, onClose }: { person: User; room: Room; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const chat = useChat();
  const block = useMutation(
    trpc.users.block.mutationOptions({
      // Here rather than in mutate(): the room's own room.updated can arrive first and replace this screen (the
      // room is gone), and callbacks given to mutate() do not run once their component has unmounted.
      onSuccess: () => {
        if (window.location.pathname === roomPath(room.id)) navigate(PATHS.home);
        chat.cache.forgetRoom(room.id);
        void queryClient.invalidateQueries({ queryKey: trpc.users.blocked.queryKey() });
      },
    }),
  );
  const [problem, setProblem] = useState<Problem | null>(null);
  const name = person.nickname;
  return (
    <Dialog title={t('chat.block', { nickname: name })} onClose={onClose}>
      <ConfirmStep
        question={t('chat.blockQuestion', { nickname: name })}
        no={t('chat.blockNo')}
        yes={t('chat.blockYes')}
        busyYes={t('chat.blocking')}
        busy={block.isPending}
        problem={problem}
        onNo={onClose}
        onYes={() => {
          if (block.isPending) return;
          setProblem(null);
          block.mutate({ userId: person.id }, { onError: (error) => setProblem(toProblem(error)) });
        }}
      />
    </Dialog>
  );
}
