import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { LIMITS, type User } from '@youngchat/shared';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toProblem } from '../../lib/problems.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { PersonRow } from '../../ui/person-row.tsx';
import { Field } from '../../ui/field.tsx';
import { ProblemMessage } from '../../ui/messages.tsx';

/** Searches are rate-limited per person, so wait for a pause in typing. */
const TYPING_PAUSE_MS = 300;

interface PeopleSearchProps {
  me: string;
  /** People who cannot be picked here (already in the room). */
  exclude?: ReadonlySet<string>;
  /** The button next to each person found. */
  action: (user: User) => ReactNode;
  headingLevel?: 2 | 3;
}

/**
 * Find someone by the start of their nickname or their whole email. Not a <form>, so it can sit inside one (the
 * new-group form); Enter searches at once instead of submitting the outer form.
 */
export function PeopleSearch({ me, exclude, action, headingLevel = 2 }: PeopleSearchProps) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const headingId = useId();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const search = useQuery(
    trpc.users.search.queryOptions({ query }, { enabled: query.length >= LIMITS.searchQuery.min, placeholderData: keepPreviousData, staleTime: 10_000 }),
  );
  const people = (search.data ?? []).filter((u) => u.id !== me && !exclude?.has(u.id));
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const searching = query.length > 0 && (search.isFetching || text.trim() !== query);

  return (
    <div className="people-search" role="search">
      <Field
        label={t('chat.searchLabel')}
        hint={t('chat.searchHint')}
        type="search"
        autoComplete="off"
        enterKeyHint="search"
        maxLength={LIMITS.searchQuery.max}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          e.preventDefault();
          setQuery(text.trim());
        }}
      />
      <ProblemMessage problem={search.isError ? toProblem(search.error) : null} />
      <p role="status" className="search-state">
        {searching ? t('chat.searching') : query && search.data && people.length === 0 ? t('chat.noPeople', { query }) : null}
      </p>
      {query && people.length > 0 ? (
        <section aria-labelledby={headingId}>
          <Heading id={headingId} className="visually-hidden">
            {t('chat.resultsHeading')}
          </Heading>
          <ul className="people">
            {people.map((user) => (
              <PersonRow key={user.id} user={user} showStatus>
                {action(user)}
              </PersonRow>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
