import type { Room, User } from '@youngchat/shared';
import { useTranslation } from 'react-i18next';
import { PATHS } from '../../lib/router.ts';
import { Link } from '../../ui/link.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { othersIn, typingText } from './chat.format.ts';
import { useOnline, useTypingIn } from './chat.context.tsx';
import { onlineMembers } from './chat.presence.ts';
import { RoomAvatars } from './room-avatars.tsx';
import { RoomMenu } from './room-menu.tsx';

/**
 * One compact bar, as in every messenger: back to the list (phones), the room's picture and name, who is online,
 * and one menu for everything else. Short enough that a phone keeps its height for the messages.
 */
export function RoomHeader({ room, me, title }: { room: Room; me: User; title: string }) {
  const { t } = useTranslation();
  const online = useOnline();
  const onlineCount = onlineMembers(room, online, me.id).length;
  const other = room.kind === 'direct' ? othersIn(room, me.id)[0] : undefined;
  const otherOnline = other !== undefined && online.has(other.id);
  const subtitle =
    room.kind === 'group'
      ? [t('chat.peopleCount', { count: room.members.length }), onlineCount > 0 ? t('chat.onlineCount', { count: onlineCount }) : null]
          .filter(Boolean)
          .join(' · ')
      : null;
  return (
    <header className="chat-header">
      <Link to={PATHS.home} className="back-link icon-button" aria-label={t('chat.chats')}>
        <span aria-hidden="true">‹</span>
      </Link>
      <RoomAvatars room={room} me={me.id} online={otherOnline} />
      <div className="chat-title">
        <PageHeading title={title} />
        {otherOnline ? (
          <p className="presence-line">
            <span className="presence-mark" aria-hidden="true" />
            {t('chat.online')}
          </p>
        ) : subtitle ? (
          <p className="chat-subtitle">{subtitle}</p>
        ) : null}
      </div>
      <RoomMenu room={room} me={me} />
    </header>
  );
}

/** "Bo is typing…", polite, under the messages. */
export function TypingLine({ room, me }: { room: Room; me: string }) {
  const { t } = useTranslation();
  const typing = useTypingIn(room.id).filter((id) => id !== me);
  const names = typing.map((id) => room.members.find((m) => m.id === id)?.nickname).filter((n): n is string => Boolean(n));
  return (
    <p className="typing" role="status">
      {typingText(names, t)}
    </p>
  );
}
