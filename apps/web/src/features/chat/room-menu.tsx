import type { Room, User } from '@youngchat/shared';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate, PATHS } from '../../lib/router.ts';
import { Menu, useMenu, type MenuAction } from '../../ui/menu.tsx';
import { BlockDialog } from './block-person.tsx';
import { othersIn } from './chat.format.ts';
import { AboutDialog, InviteDialog, LeaveDialog, MembersDialog } from './room-dialogs.tsx';

type Open = 'members' | 'invite' | 'leave' | 'about' | 'block' | null;

/** Everything done to a room, behind one labelled button: people, invite and leave (groups), about and block (1:1). */
export function RoomMenu({ room, me }: { room: Room; me: User }) {
  const { t } = useTranslation();
  const menu = useMenu();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState<Open>(null);
  const other = room.kind === 'direct' ? othersIn(room, me.id)[0] : undefined;
  const close = () => setOpen(null);

  const notifications: MenuAction = { key: 'notifications', label: t('chat.notificationSettings'), onSelect: () => navigate(PATHS.settings) };
  const actions: MenuAction[] =
    room.kind === 'group'
      ? [
          { key: 'members', label: `${t('chat.members')} (${t('chat.peopleCount', { count: room.members.length })})`, onSelect: () => setOpen('members') },
          { key: 'invite', label: t('chat.invite'), onSelect: () => setOpen('invite') },
          notifications,
          { key: 'leave', label: t('chat.leave'), onSelect: () => setOpen('leave'), danger: true },
        ]
      : other
        ? [
            { key: 'about', label: t('chat.aboutNickname', { nickname: other.nickname }), onSelect: () => setOpen('about') },
            notifications,
            { key: 'block', label: t('chat.block', { nickname: other.nickname }), onSelect: () => setOpen('block'), danger: true },
          ]
        : [notifications];

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="button-secondary icon-button room-menu-button"
        aria-label={t('chat.roomMenu')}
        aria-haspopup="menu"
        aria-expanded={menu.anchor !== null}
        onClick={(e) => (menu.anchor ? menu.close() : menu.open({ rect: e.currentTarget.getBoundingClientRect(), within: e.currentTarget }, buttonRef.current))}
      >
        <span aria-hidden="true">⋮</span>
      </button>
      {menu.anchor ? <Menu label={t('chat.roomMenu')} actions={actions} anchor={menu.anchor} onClose={menu.close} /> : null}
      {open === 'members' ? <MembersDialog room={room} me={me} onClose={close} /> : null}
      {open === 'invite' ? <InviteDialog room={room} me={me} onClose={close} /> : null}
      {open === 'leave' ? <LeaveDialog room={room} onClose={close} /> : null}
      {open === 'about' && other ? <AboutDialog person={other} onClose={close} /> : null}
      {open === 'block' && other ? <BlockDialog person={other} room={room} onClose={close} /> : null}
    </>
  );
}
