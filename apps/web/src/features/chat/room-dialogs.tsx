import { useMutation } from '@tanstack/react-query';
import type { Room, User } from '@youngchat/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toProblem, type Problem } from '../../lib/problems.ts';
import { navigate, PATHS } from '../../lib/router.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { ConfirmStep } from '../../ui/confirm-step.tsx';
import { Dialog } from '../../ui/dialog.tsx';
import { displayName } from '../../ui/display-name.ts';
import { Notice, ProblemMessage } from '../../ui/messages.tsx';
import { PersonRow } from '../../ui/person-row.tsx';
import { AddPerson, ChosenPeople } from './chosen-people.tsx';
import { PeopleSearch } from './people-search.tsx';
import { useChat, useOnline } from './chat.context.tsx';

interface DialogProps {
  onClose: () => void;
}

/** Who is in the group, and who of them is online (in words; a dot is never all). */
export function MembersDialog({ room, me, onClose }: DialogProps & { room: Room; me: User }) {
  const { t } = useTranslation();
  const online = useOnline();
  return (
    <Dialog title={`${t('chat.members')} (${t('chat.peopleCount', { count: room.members.length })})`} onClose={onClose}>
      <ul className="people member-list">
        {room.members.map((member) => (
          <PersonRow key={member.id} user={member} showStatus>
            <span className="member-note">
              {member.id === me.id ? t('chat.you') : null}
              {member.id !== me.id && online.has(member.id) ? (
                <span className="presence-line">
                  <span className="presence-mark" aria-hidden="true" />
                  {t('chat.online')}
                </span>
              ) : null}
            </span>
          </PersonRow>
        ))}
      </ul>
    </Dialog>
  );
}

/** The other person of a 1:1 chat: picture, name and status message. */
export function AboutDialog({ person, onClose }: DialogProps & { person: User }) {
  const { t } = useTranslation();
  return (
    <Dialog title={t('chat.aboutNickname', { nickname: displayName(person, t) })} onClose={onClose}>
      <ul className="people">
        <PersonRow user={person} showStatus>
          {null}
        </PersonRow>
      </ul>
    </Dialog>
  );
}

/**
 * Adding people to a group. The search scrolls in the middle; the add button stays at the foot. After adding,
 * the search starts empty again, so the success is said once and not followed by "nobody found".
 */
export function InviteDialog({ room, me, onClose }: DialogProps & { room: Room; me: User }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const chat = useChat();
  const invite = useMutation(trpc.rooms.invite.mutationOptions());
  const [chosen, setChosen] = useState<User[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [invited, setInvited] = useState(0);
  const members = new Set(room.members.map((m) => m.id));

  const onInvite = () => {
    if (invite.isPending || chosen.length === 0) return;
    setProblem(null);
    invite.mutate(
      { roomId: room.id, userIds: chosen.map((u) => u.id) },
      {
        onSuccess: (updated) => {
          void chat.cache.applyRoom(updated);
          setChosen([]);
          setInvited((n) => n + 1);
        },
        onError: (error) => setProblem(toProblem(error)),
      },
    );
  };

  return (
    <Dialog
      title={t('chat.inviteHeading')}
      onClose={onClose}
      footer={
        <>
          <ProblemMessage problem={problem} />
          <Notice>{invited > 0 && chosen.length === 0 ? t('chat.invited') : null}</Notice>
          <p className="actions">
            {chosen.length > 0 ? (
              <button type="button" className="button-primary" aria-disabled={invite.isPending || undefined} onClick={onInvite}>
                {invite.isPending ? t('chat.inviting') : t('chat.inviteButton', { count: chosen.length })}
              </button>
            ) : null}
            <button type="button" className="button-secondary" onClick={onClose}>
              {t('chat.closeInvite')}
            </button>
          </p>
        </>
      }
    >
      <PeopleSearch
        key={invited}
        me={me.id}
        headingLevel={3}
        exclude={members}
        action={(user) => <AddPerson user={user} chosen={chosen} onAdd={() => setChosen((list) => [...list, user])} />}
      />
      <ChosenPeople headingLevel={3} people={chosen} onRemove={(user) => setChosen((list) => list.filter((u) => u.id !== user.id))} />
    </Dialog>
  );
}

export function LeaveDialog({ room, onClose }: DialogProps & { room: Room }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const chat = useChat();
  const [problem, setProblem] = useState<Problem | null>(null);
  const leave = useMutation(
    trpc.rooms.leave.mutationOptions({
      // Not in mutate(): the room's own room.updated may unmount this dialog first.
      onSuccess: () => {
        navigate(PATHS.home);
        chat.cache.forgetRoom(room.id);
      },
    }),
  );
  return (
    <Dialog title={t('chat.leave')} onClose={onClose}>
      <ConfirmStep
        question={t('chat.leaveQuestion', { name: room.name })}
        no={t('chat.leaveNo')}
        yes={t('chat.leaveYes')}
        busyYes={t('chat.leaving')}
        busy={leave.isPending}
        problem={problem}
        onNo={onClose}
        onYes={() => {
          if (!leave.isPending) leave.mutate({ roomId: room.id }, { onError: (error) => setProblem(toProblem(error)) });
        }}
      />
    </Dialog>
  );
}
