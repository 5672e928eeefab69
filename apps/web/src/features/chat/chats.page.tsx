import { useQuery } from '@tanstack/react-query';
import type { Room, User } from '@youngchat/shared';
import { useTranslation } from 'react-i18next';
import { PATHS, roomPath } from '../../lib/router.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { Avatar } from '../../ui/avatar.tsx';
import { Link } from '../../ui/link.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { nicknameOf, othersIn, roomTitle, shortTime } from './chat.format.ts';
import { useOnline, type OnlineSet } from './chat.presence.ts';
import { useDeletedSenders } from './deleted-senders.ts';
import { LiveStatusLine } from './live-status.tsx';
import { NotificationsControl } from './notifications-control.tsx';
import { RoomAvatars } from './room-avatars.tsx';

/** Home for a signed-in person: every chat at a glance, newest activity first, unread ones marked. */
export function ChatsPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const rooms = useQuery(trpc.rooms.list.queryOptions());
  const online = useOnline();

  return (
    <div className="page">
      <div className="greeting">
        <Avatar user={user} size="small" />
        <PageHeading title={t('app.home')}>{t('home.titleSignedIn', { nickname: user.nickname })}</PageHeading>
      </div>
      <LiveStatusLine />
      <p className="actions">
        <Link to={PATHS['new-chat']} className="button-link">
          {t('chat.newChat')}
        </Link>
        <Link to={PATHS['new-group']} className="button-link button-secondary">
          {t('chat.newGroup')}
        </Link>
      </p>

      <section aria-labelledby="chats-heading" aria-busy={rooms.isPending}>
        <h2 id="chats-heading">{t('chat.yourChats')}</h2>
        {rooms.isPending ? <p>{t('app.loading')}</p> : null}
        {rooms.isError && !rooms.data ? (
          <p className="problem">
            {t('chat.roomsError')}{' '}
            <button type="button" className="button-secondary" onClick={() => void rooms.refetch()}>
              {t('chat.tryAgain')}
            </button>
          </p>
        ) : null}
        {rooms.data?.length === 0 ? <p className="lead">{t('chat.noRooms')}</p> : null}
        {rooms.data?.length ? (
          <ul className="room-list">
            {rooms.data.map((room) => (
              <RoomRow key={room.id} room={room} me={user.id} online={online} />
            ))}
          </ul>
        ) : null}
      </section>

      <NotificationsControl />
      <p className="aside">
        <Link to={PATHS.profile}>{t('home.profileLink')}</Link>
      </p>
    </div>
  );
}

function lastLine(room: Room, me: string, t: ReturnType<typeof useTranslation>['t'], deletedSenders: ReadonlySet<string>): string {
  const last = room.lastMessage;
  if (!last) return t('chat.noMessagesYet');
  if (last.deletedAt) return t('chat.deleted');
  const body = last.body.replace(/\s+/g, ' ');
  if (last.senderId === me) return t('chat.fromYou', { body });
  return room.kind === 'group' ? `${nicknameOf(room, last.senderId, t, deletedSenders)}: ${body}` : body;
}

function RoomRow({ room, me, online }: { room: Room; me: string; online: OnlineSet }) {
  const { t, i18n } = useTranslation();
  const count = room.unreadCount;
  const other = room.kind === 'direct' ? othersIn(room, me)[0] : undefined;
  const otherOnline = other !== undefined && online.has(other.id);
  const deletedSenders = useDeletedSenders(room, room.kind === 'group' && room.lastMessage ? [room.lastMessage.senderId] : []);
  return (
    <li>
      <Link to={roomPath(room.id)} className="room-row" data-unread={count > 0 || undefined}>
        <RoomAvatars room={room} me={me} online={otherOnline} />
        <span className="room-text">
          <span className="room-top">
            <span className="room-name">{roomTitle(room, t)}</span>
            {otherOnline ? <span className="visually-hidden">({t('chat.online')})</span> : null}
            {room.lastMessage ? (
              <time className="room-time" dateTime={room.lastMessage.createdAt}>
                {shortTime(room.lastMessage.createdAt, i18n.language)}
              </time>
            ) : null}
          </span>
          <span className="room-last">{lastLine(room, me, t, deletedSenders)}</span>
        </span>
        {count > 0 ? (
          <span className="badge">
            <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
            <span className="visually-hidden">{t('chat.unread', { count })}</span>
          </span>
        ) : null}
      </Link>
    </li>
  );
}
