import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Room, User } from '@youngchat/shared';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toProblem, type Problem } from '../../lib/problems.ts';
import { navigate, PATHS } from '../../lib/router.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { Link } from '../../ui/link.tsx';
import { Notice, ProblemMessage } from '../../ui/messages.tsx';
import { ConfirmStep } from '../../ui/confirm-step.tsx';
import { displayName } from '../../ui/display-name.ts';
import { PageHeading } from '../../ui/page-heading.tsx';
import { applyRoom, forgetRoom } from './chat.cache.ts';
import { AddPerson, ChosenPeople } from './chosen-people.tsx';
import { PeopleSearch } from './people-search.tsx';
import { LiveStatusLine } from './live-status.tsx';
import { RoomAvatars } from './room-avatars.tsx';
import { othersIn, roomTitle, typingText } from './chat.format.ts';
import { onlineMembers, useOnline } from './chat.presence.ts';
import { useTypingIn } from './chat.typing.ts';
import { BlockPerson } from './block-person.tsx';

/** The room's name, who is in it and who of them is online, and what can be done: block (1:1), add or leave (group). */
export function RoomHeader({ room, me }: { room: Room; me: User }) {
  const { t } = useTranslation();
  const online = useOnline();
  const onlineNow = new Set(onlineMembers(room, online, me.id).map((u) => u.id));
  const other = room.kind === 'direct' ? othersIn(room, me.id)[0] : undefined;
  const otherOnline = other !== undefined && onlineNow.has(other.id);
  return (
    <header className="chat-header">
      <div className="chat-header-top">
        <Link to={PATHS.home} className="back-link">
          <span aria-hidden="true" className="back-arrow">
            ←
          </span>
          {t('chat.chats')}
        </Link>
        <LiveStatusLine />
      </div>
      <div className="chat-title">
        <RoomAvatars room={room} me={me.id} online={otherOnline} />
        <div className="chat-title-text">
          <PageHeading title={roomTitle(room, t)} />
          {otherOnline ? <OnlineLabel as="p" /> : null}
        </div>
      </div>
      {room.kind === 'group' ? (
        <details className="members">
          <summary>
            {t('chat.members')} ({t('chat.peopleCount', { count: room.members.length })})
            {onlineNow.size > 0 ? ` · ${t('chat.onlineCount', { count: onlineNow.size })}` : null}
          </summary>
          <ul className="member-list">
            {room.members.map((member) => (
              <li key={member.id}>
                <span className="member-name">{member.id === me.id ? t('chat.you') : displayName(member, t)}</span>
                {onlineNow.has(member.id) ? <OnlineLabel /> : null}
              </li>
            ))}
          </ul>
          <GroupActions room={room} me={me} />
        </details>
      ) : other ? (
        <details className="members">
          <summary>{t('chat.aboutNickname', { nickname: other.nickname })}</summary>
          {other.statusMessage ? <p className="member-status">{other.statusMessage}</p> : null}
          <BlockPerson person={other} room={room} />
        </details>
      ) : (
        <p className="lead other-gone">{t('chat.otherGone')}</p>
      )}
    </header>
  );
}

function GroupActions({ room, me }: { room: Room; me: User }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [panel, setPanel] = useState<'none' | 'invite' | 'leave'>('none');
  const [chosen, setChosen] = useState<User[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [invited, setInvited] = useState(false);
  const invite = useMutation(trpc.rooms.invite.mutationOptions());
  const leave = useMutation(trpc.rooms.leave.mutationOptions());
  const inviteRef = useRef<HTMLButtonElement>(null);
  const leaveRef = useRef<HTMLButtonElement>(null);
  const members = new Set(room.members.map((m) => m.id));

  const close = (focus: 'invite' | 'leave') => {
    setPanel('none');
    setProblem(null);
    setChosen([]);
    requestAnimationFrame(() => (focus === 'invite' ? inviteRef : leaveRef).current?.focus());
  };

  const onInvite = () => {
    if (invite.isPending || chosen.length === 0) return;
    setProblem(null);
    invite.mutate(
      { roomId: room.id, userIds: chosen.map((u) => u.id) },
      {
        onSuccess: (updated) => {
          applyRoom(queryClient, updated, me.id);
          setChosen([]);
          setInvited(true);
        },
        onError: (error) => setProblem(toProblem(error)),
      },
    );
  };

  const onLeave = () => {
    if (leave.isPending) return;
    leave.mutate(
      { roomId: room.id },
      {
        onSuccess: () => {
          navigate(PATHS.home);
          forgetRoom(queryClient, room.id);
        },
        onError: (error) => setProblem(toProblem(error)),
      },
    );
  };

  return (
    <div className="group-actions">
      <p className="actions">
        <button
          type="button"
          ref={inviteRef}
          className="button-secondary"
          aria-expanded={panel === 'invite'}
          onClick={() => {
            setInvited(false);
            setProblem(null);
            setPanel(panel === 'invite' ? 'none' : 'invite');
          }}
        >
          {t('chat.invite')}
        </button>
        <button type="button" ref={leaveRef} className="button-danger" aria-expanded={panel === 'leave'} onClick={() => setPanel(panel === 'leave' ? 'none' : 'leave')}>
          {t('chat.leave')}
        </button>
      </p>
      {panel === 'invite' ? (
        <section className="panel" aria-labelledby="invite-heading">
          <h2 id="invite-heading">{t('chat.inviteHeading')}</h2>
          <PeopleSearch
            me={me.id}
            headingLevel={3}
            exclude={members}
            action={(user) =>
              <AddPerson
                user={user}
                chosen={chosen}
                onAdd={() => {
                  setInvited(false);
                  setChosen((list) => [...list, user]);
                }}
              />
            }
          />
          <ChosenPeople people={chosen} onRemove={(user) => setChosen((list) => list.filter((u) => u.id !== user.id))} />
          <ProblemMessage problem={problem} />
          <Notice>{invited ? t('chat.invited') : null}</Notice>
          <p className="actions">
            {chosen.length > 0 ? (
              <button type="button" className="button-primary" onClick={onInvite}>
                {invite.isPending ? t('chat.inviting') : t('chat.inviteButton', { count: chosen.length })}
              </button>
            ) : null}
            <button type="button" className="button-secondary" onClick={() => close('invite')}>
              {t('chat.closeInvite')}
            </button>
          </p>
        </section>
      ) : null}
      {panel === 'leave' ? (
        <ConfirmStep
          question={t('chat.leaveQuestion', { name: room.name })}
          no={t('chat.leaveNo')}
          yes={t('chat.leaveYes')}
          busyYes={t('chat.leaving')}
          busy={leave.isPending}
          problem={problem}
          onNo={() => close('leave')}
          onYes={onLeave}
        />
      ) : null}
    </div>
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

/** "Online", with a calm dot; the word is there for everyone, not only for those who see colour. */
function OnlineLabel({ as: Element = 'span' }: { as?: 'p' | 'span' }) {
  const { t } = useTranslation();
  return (
    <Element className="presence-line">
      <span className="presence-mark" aria-hidden="true" />
      {t('chat.online')}
    </Element>
  );
}
