import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReplyQuote, User } from '@youngchat/shared';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toProblem } from '../../lib/problems.ts';
import { PATHS } from '../../lib/router.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { Link } from '../../ui/link.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { useChat } from './chat.context.tsx';
import { nicknameOf, othersIn, roomTitle } from './chat.format.ts';
import { Composer } from './composer.tsx';
import { useFormerSenders } from './former-senders.ts';
import { MessageList, useRoomHistory } from './message-list.tsx';
import { RoomHeader, TypingLine } from './room-header.tsx';
import { usePageVisible } from './use-page-visible.ts';

/** One conversation: its name and people, the messages, who is typing, and the composer. */
export function RoomPage({ me, roomId }: { me: User; roomId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const chat = useChat();
  const visible = usePageVisible();
  const room = useQuery(
    trpc.rooms.get.queryOptions(
      { roomId },
      // The list already knows the room: draw at once, confirm in the background.
      { placeholderData: () => queryClient.getQueryData(chat.cache.roomsKey())?.find((r) => r.id === roomId), retry: (n, error) => n < 2 && toProblem(error).code === 'NETWORK' },
    ),
  );

  const history = useRoomHistory(roomId);
  // Quoted people too: a reply may quote someone who has since left, from a page not loaded.
  const senderIds = useMemo(
    () => new Set(history.data?.pages.flatMap((page) => page.items.flatMap((m) => (m.replyTo?.senderId ? [m.senderId, m.replyTo.senderId] : [m.senderId])))),
    [history.data],
  );
  const former = useFormerSenders(room.data ?? { members: [] }, senderIds);
  const nameOf = (userId: string) => (userId === me.id ? t('chat.you') : nicknameOf(room.data, userId, t, former));
  // Per room: the answer being written belongs to the room it was chosen in.
  const [replying, setReplying] = useState<{ roomId: string; quote: ReplyQuote } | null>(null);
  const replyQuote = replying?.roomId === roomId ? replying.quote : null;

  // While this room is on screen, its new messages are read as they come, not counted as unread.
  useEffect(() => {
    chat.cache.visibleRoomId = visible ? roomId : null;
    return () => {
      chat.cache.visibleRoomId = null;
    };
  }, [chat, roomId, visible]);

  if (!room.data) {
    const gone = room.isError && toProblem(room.error).code !== 'NETWORK';
    return (
      <div className="page room-missing" aria-busy={room.isPending}>
        {room.isPending ? (
          <p className="lead">{t('app.loading')}</p>
        ) : (
          <>
            <PageHeading title={t('notFound.title')}>{gone ? t('chat.roomGone') : t('chat.roomsError')}</PageHeading>
            {!gone ? (
              <button type="button" className="button-secondary" onClick={() => void room.refetch()}>
                {t('chat.tryAgain')}
              </button>
            ) : null}
            <p className="aside">
              <Link to={PATHS.home}>{t('chat.backToChats')}</Link>
            </p>
          </>
        )}
      </div>
    );
  }

  const otherGone = room.data.kind === 'direct' && othersIn(room.data, me.id).length === 0;
  // A 1:1 chat the other person left (or blocked me in) keeps their name, from their messages' sender.
  const formerOther = otherGone ? [...former.keys()].find((id) => id !== me.id) : undefined;
  const title = formerOther ? nicknameOf(room.data, formerOther, t, former) : roomTitle(room.data, t);
  return (
    <div className="chat-view">
      <RoomHeader room={room.data} me={me} title={title} />
      <MessageList
        room={room.data}
        me={me.id}
        visible={visible}
        history={history}
        former={former}
        nameOf={nameOf}
        onReply={(quote) => setReplying({ roomId, quote })}
        footer={<TypingLine room={room.data} me={me.id} />}
      />
      {otherGone ? <p className="other-gone">{t('chat.otherGone')}</p> : null}
      <Composer
        key={roomId}
        roomId={roomId}
        me={me.id}
        reply={replyQuote ? { quote: replyQuote, name: nameOf(replyQuote.senderId) } : null}
        onReplyDone={() => setReplying(null)}
      />
    </div>
  );
}
