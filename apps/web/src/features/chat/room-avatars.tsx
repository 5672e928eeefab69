import type { Room } from '@youngchat/shared';
import { Avatar } from '../../ui/avatar.tsx';
import { othersIn } from './chat.format.ts';

/**
 * Decoration next to a room's name (the name itself is the text): the other person, or a few of the group.
 * `online` puts a dot on a 1:1 room's picture; the words that say so are the caller's (a dot is never all).
 */
export function RoomAvatars({ room, me, online = false }: { room: Room; me: string; online?: boolean }) {
  const others = othersIn(room, me);
  if (room.kind === 'direct' || others.length <= 1) {
    const person = others[0] ?? room.members[0];
    const picture = person ? <Avatar user={person} size="small" /> : <span className="avatar avatar-small avatar-initial" aria-hidden="true" />;
    return (
      <span className="avatar-holder">
        {picture}
        {online ? <span className="presence-dot" aria-hidden="true" /> : null}
      </span>
    );
  }
  return (
    <span className="avatar-stack" aria-hidden="true">
      {others.slice(0, 3).map((user) => (
        <Avatar key={user.id} user={user} size="tiny" />
      ))}
    </span>
  );
}
