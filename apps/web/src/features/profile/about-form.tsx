import { LIMITS, profileUpdateInput, type User } from '@youngchat/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPCClient } from '../../lib/trpc.ts';
import { Field } from '../../ui/field.tsx';
import { Notice, ProblemMessage } from '../../ui/messages.tsx';
import { useForm } from '../../ui/use-form.ts';
import { useAuthSession } from '../auth/auth.hooks.ts';

const FIELDS = ['nickname', 'statusMessage'] as const;

export function AboutForm({ user }: { user: User }) {
  const { t } = useTranslation();
  const client = useTRPCClient();
  const session = useAuthSession();
  const [values, setValues] = useState({ nickname: user.nickname, statusMessage: user.statusMessage });
  const [saved, setSaved] = useState(false);
  const form = useForm(FIELDS);
  const { problem, byField } = form;

  const onSubmit = form.onSubmit(() => {
    setSaved(false);
    form.submit(profileUpdateInput, values, async (input) => {
      const updated = await client.profile.update.mutate(input);
      session.store.storeUser(updated);
      setValues({ nickname: updated.nickname, statusMessage: updated.statusMessage });
      setSaved(true);
    });
  });

  return (
    <section className="panel" aria-labelledby="about-heading">
      <h2 id="about-heading">{t('profile.aboutHeading')}</h2>
      <form ref={form.ref} className="form" noValidate onSubmit={onSubmit} aria-busy={form.pending}>
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
          {form.pending ? t('profile.saving') : t('profile.save')}
        </button>
        <Notice>{saved ? t('profile.saved') : null}</Notice>
      </form>
    </section>
  );
}
