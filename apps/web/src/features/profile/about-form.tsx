import { useMutation } from '@tanstack/react-query';
import { LIMITS, profileUpdateInput, type User } from '@youngchat/shared';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { checkInput, fieldIssues, toProblem, type Problem } from '../../lib/problems.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { Field } from '../../ui/field.tsx';
import { Notice, ProblemMessage } from '../../ui/messages.tsx';
import { useFocusFirstInvalid } from '../../ui/use-focus-invalid.ts';
import { storeUser } from '../auth/auth.store.ts';

const FIELDS = ['nickname', 'statusMessage'] as const;

export function AboutForm({ user }: { user: User }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState({ nickname: user.nickname, statusMessage: user.statusMessage });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  const update = useMutation(trpc.profile.update.mutationOptions());
  useFocusFirstInvalid(formRef, problem);
  const { byField } = fieldIssues(problem, FIELDS);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (update.isPending) return;
    setSaved(false);
    const local = checkInput(profileUpdateInput, values);
    setProblem(local);
    if (local) return;
    update.mutate(values, {
      onSuccess: (updated) => {
        storeUser(updated);
        setValues({ nickname: updated.nickname, statusMessage: updated.statusMessage });
        setSaved(true);
      },
      onError: (error) => setProblem(toProblem(error)),
    });
  };

  return (
    <section className="panel" aria-labelledby="about-heading">
      <h2 id="about-heading">{t('profile.aboutHeading')}</h2>
      <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-busy={update.isPending}>
        <Field
          label={t('profile.nickname')}
          error={byField.nickname ? t('fields.nickname') : null}
          name="nickname"
          autoComplete="nickname"
          required
          maxLength={LIMITS.nickname.max}
          value={values.nickname}
          onChange={(e) => {
            setSaved(false);
            setValues((v) => ({ ...v, nickname: e.target.value }));
          }}
        />
        <Field
          label={t('profile.statusMessage')}
          hint={t('profile.statusMessageHint', { max: LIMITS.statusMessage.max })}
          error={byField.statusMessage ? t('fields.statusMessage') : null}
          name="statusMessage"
          autoComplete="off"
          maxLength={LIMITS.statusMessage.max}
          value={values.statusMessage}
          onChange={(e) => {
            setSaved(false);
            setValues((v) => ({ ...v, statusMessage: e.target.value }));
          }}
        />
        <ProblemMessage problem={problem} />
        <button type="submit" className="button-primary">
          {update.isPending ? t('profile.saving') : t('profile.save')}
        </button>
        <Notice>{saved ? t('profile.saved') : null}</Notice>
      </form>
    </section>
  );
}
