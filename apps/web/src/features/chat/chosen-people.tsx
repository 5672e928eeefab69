import type { User } from '@youngchat/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { PersonRow } from '../../ui/person-row.tsx';

/** The people picked so far, each with a way to take them off again. */
export function ChosenPeople({
  people,
  error,
  headingLevel = 2,
  onRemove,
}: {
  people: User[];
  error?: string | null;
  headingLevel?: 2 | 3;
  onRemove: (user: User) => void;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="form-section chosen" aria-labelledby={headingId}>
      <Heading id={headingId}>{t('chat.chosenHeading')}</Heading>
      {error ? (
        // Focusable, so a failed submit can put the person right on the explanation.
        <p className="field-error" tabIndex={-1} data-invalid="true">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}
      {people.length === 0 ? <p className="hint">{t('chat.chosenNone')}</p> : null}
      {people.length > 0 ? (
        <ul className="people">
          {people.map((user) => (
            <PersonRow key={user.id} user={user}>
              <button
                type="button"
                className="button-secondary"
                aria-label={t('chat.removeNickname', { nickname: user.nickname })}
                onClick={() => onRemove(user)}
              >
                {t('chat.remove')}
              </button>
            </PersonRow>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** Next to someone found: a button to add them, or "Added" once they are among the chosen. */
export function AddPerson({ user, chosen, onAdd }: { user: User; chosen: readonly User[]; onAdd: () => void }) {
  const { t } = useTranslation();
  if (chosen.some((u) => u.id === user.id)) return <span className="person-added">{t('chat.added')}</span>;
  return (
    <button type="button" className="button-secondary" aria-label={t('chat.addNickname', { nickname: user.nickname })} onClick={onAdd}>
      {t('chat.add')}
    </button>
  );
}
