import { useMutation, useQueryClient } from '@tanstack/react-query';
import { LIMITS, roomsCreateGroupInput, type User } from '@youngchat/shared';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { checkInput, fieldIssues, toProblem, type Problem } from '../../lib/problems.ts';
import { navigate, PATHS, roomPath } from '../../lib/router.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { Field } from '../../ui/field.tsx';
import { Link } from '../../ui/link.tsx';
import { ProblemMessage } from '../../ui/messages.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { applyRoom } from './chat.cache.ts';
import { AddPerson, ChosenPeople } from './chosen-people.tsx';
import { PeopleSearch } from './people-search.tsx';

const FIELDS = ['name', 'memberIds'] as const;

/** A name, some people, done. */
export function NewGroupPage({ me }: { me: User }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<User[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const create = useMutation(trpc.rooms.createGroup.mutationOptions());
  // After a failed submit: to the first thing to fix (the name box, or the "add someone" explanation).
  useEffect(() => {
    if (problem) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-invalid="true"]')?.focus();
  }, [problem]);
  const { byField, unplaced } = fieldIssues(problem, FIELDS);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (create.isPending) return;
    const input = { name, memberIds: chosen.map((u) => u.id) };
    const local = checkInput(roomsCreateGroupInput, input);
    setProblem(local);
    if (local) return;
    create.mutate(input, {
      onSuccess: (room) => {
        applyRoom(queryClient, room, me.id);
        navigate(roomPath(room.id));
      },
      onError: (error) => setProblem(toProblem(error)),
    });
  };

  return (
    <div className="page narrow">
      <PageHeading title={t('chat.newGroupTitle')} />
      <p className="lead">{t('chat.newGroupIntro')}</p>
      <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-busy={create.isPending}>
        <Field
          label={t('chat.groupName')}
          hint={t('chat.groupNameHint')}
          error={byField.name ? t('chat.groupNameError') : null}
          name="name"
          autoComplete="off"
          required
          maxLength={LIMITS.roomName.max}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <section className="form-section" aria-labelledby="add-people-heading">
          <h2 id="add-people-heading">{t('chat.addPeopleHeading')}</h2>
          <PeopleSearch
            me={me.id}
            headingLevel={3}
            action={(user) => <AddPerson user={user} chosen={chosen} onAdd={() => setChosen((list) => [...list, user])} />}
          />
        </section>
        <ChosenPeople
          people={chosen}
          error={byField.memberIds ? t('chat.pickSomeone') : null}
          onRemove={(user) => setChosen((list) => list.filter((u) => u.id !== user.id))}
        />
        {unplaced || (problem && problem.code !== 'BAD_INPUT') ? <ProblemMessage problem={problem} /> : null}
        <button type="submit" className="button-primary">
          {create.isPending ? t('chat.creating') : t('chat.createGroup')}
        </button>
      </form>
      <p className="aside">
        <Link to={PATHS.home}>{t('chat.backToChats')}</Link>
      </p>
    </div>
  );
}
