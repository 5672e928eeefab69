import { LIMITS, roomsCreateGroupInput, type User } from '@youngchat/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate, PATHS, roomPath } from '../../lib/router.ts';
import { useTRPCClient } from '../../lib/trpc.ts';
import { Field } from '../../ui/field.tsx';
import { Link } from '../../ui/link.tsx';
import { ProblemMessage } from '../../ui/messages.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { useForm } from '../../ui/use-form.ts';
import { useChat } from './chat.context.tsx';
import { AddPerson, ChosenPeople } from './chosen-people.tsx';
import { PeopleSearch } from './people-search.tsx';

const FIELDS = ['name', 'memberIds'] as const;

/** A name, some people, done. */
export function NewGroupPage({ me }: { me: User }) {
  const { t } = useTranslation();
  const client = useTRPCClient();
  const chat = useChat();
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<User[]>([]);
  // After a failed submit it goes to the first thing to fix: the name box, or the "add someone" explanation.
  const form = useForm(FIELDS);
  const { problem, byField, unplaced } = form;

  const onSubmit = form.onSubmit(() =>
    form.submit(roomsCreateGroupInput, { name, memberIds: chosen.map((u) => u.id) }, async (input) => {
      const room = await client.rooms.createGroup.mutate(input);
      void chat.cache.applyRoom(room);
      navigate(roomPath(room.id));
    }),
  );

  return (
    <div className="page narrow">
      <PageHeading title={t('chat.newGroupTitle')} />
      <p className="lead">{t('chat.newGroupIntro')}</p>
      <form ref={form.ref} className="form" noValidate onSubmit={onSubmit} aria-busy={form.pending}>
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
          {form.pending ? t('chat.creating') : t('chat.createGroup')}
        </button>
      </form>
      <p className="aside">
        <Link to={PATHS.home}>{t('chat.backToChats')}</Link>
      </p>
    </div>
  );
}
