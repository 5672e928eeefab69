import { useQuery } from '@tanstack/react-query';
import type { Room, User } from '@youngchat/shared';
import { useTranslation } from 'react-i18next';
import { PATHS, roomPath } from '../../lib/router.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { Avatar } from '../../ui/avatar.tsx';
import { Link } from '../../ui/link.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { nicknameOf, othersIn, roomTitle, shortTime, summary } from './chat.format.ts';
import { useOnline } from './chat.context.tsx';
import type { OnlineSet } from './chat.presence.ts';
import { useFormerSenders } from './former-senders.ts';
import { RoomAvatars } from './room-avatars.tsx';

/**
 * Every chat at a glance, newest activity first: picture, name, last message, time and unread badge. The page
 * of its own on a phone; beside the open room on a desktop, where the room's name is the page heading instead.
 */
export function ChatList({ user, current }: { user: User; current: string | null }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const rooms = useQuery(trpc.rooms.list.queryOptions());
  const online = useOnline();
  const greeting = t('home.titleSignedIn', { nickname: user.nickname });

  return (
    <div className="chat-list">
      <div className="list-header">
        <Link to={PATHS.profile} className="me-link" aria-label={t('home.profileLink')}>
          <Avatar user={user} size="medium" />
        </Link>
        {current ? <h2 className="page-heading">{greeting}</h2> : <PageHeading title={t('app.home')}>{greeting}</PageHeading>}
        <Link to={PATHS.settings} className="button-link button-secondary button-small settings-link">
          <span aria-hidden="true">⚙</span>
          {t('settings.title')}
        </Link>
      </div>
      <p className="list-actions">
        <Link to={PATHS['new-chat']} className="button-link button-small">
          {t('chat.newChat')}
        </Link>
        <Link to={PATHS['new-group']} className="button-link button-secondary button-small">
          {t('chat.newGroup')}
        </Link>
      </p>

      <section className="list-rooms" aria-labelledby="chats-heading" aria-busy={rooms.isPending}>
        <h2 id="chats-heading" className="visually-hidden">
          {t('chat.yourChats')}
        </h2>
        {rooms.isPending ? <p className="hint">{t('app.loading')}</p> : null}
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
              <RoomRow key={room.id} room={room} me={user.id} online={online} current={room.id === current} />
            ))}
          </ul>
        ) : null}
      </section>
    </div>
  );
}

function lastLine(room: Room, me: string, t: ReturnType<typeof useTranslation>['t'], former: ReadonlyMap<string, User>): string {
  const last = room.lastMessage;
  if (!last) return t('chat.noMessagesYet');
  const body = summary(last, t).replace(/\s+/g, ' ');
  if (last.deletedAt) return body;
  if (last.senderId === me) return t('chat.fromYou', { body });
  return room.kind === 'group' ? `${nicknameOf(room, last.senderId, t, former)}: ${body}` : body;
}

function RoomRow({ room, me, online, current }: { room: Room; me: string; online: OnlineSet; current: boolean }) {
  const { t, i18n } = useTranslation();
  const count = room.unreadCount;
  const other = room.kind === 'direct' ? othersIn(room, me)[0] : undefined;
  const otherOnline = other !== undefined && online.has(other.id);
  const former = useFormerSenders(room, room.kind === 'group' && room.lastMessage ? [room.lastMessage.senderId] : []);
  return (
    <li>
      <Link to={roomPath(room.id)} className="room-row" data-unread={count > 0 || undefined} aria-current={current ? 'page' : undefined}>
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
          <span className="room-bottom">
            <span className="room-last">{lastLine(room, me, t, former)}</span>
            {count > 0 ? (
              <span className="badge">
                <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
                <span className="visually-hidden">{t('chat.unread', { count })}</span>
              </span>
            ) : null}
          </span>
        </span>
      </Link>
    </li>
  );
}
