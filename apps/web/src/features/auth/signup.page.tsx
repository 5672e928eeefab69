import { signUpInput } from '@youngchat/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate, PATHS } from '../../lib/router.ts';
import { useTRPCClient } from '../../lib/trpc.ts';
import { Field } from '../../ui/field.tsx';
import { Link } from '../../ui/link.tsx';
import { ProblemMessage } from '../../ui/messages.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { useForm } from '../../ui/use-form.ts';
import { EmailField } from './email-field.tsx';
import { NewPasswordField } from './new-password-field.tsx';
import { savePendingSignUp } from './pending-signup.ts';

const FIELDS = ['email', 'password', 'nickname'] as const;

export function SignUpPage() {
  const { t } = useTranslation();
  const client = useTRPCClient();
  const [values, setValues] = useState({ email: '', password: '', nickname: '' });
  const form = useForm(FIELDS);
  const { problem, byField } = form;

  const onSubmit = form.onSubmit(() =>
    form.submit(signUpInput, values, async (input) => {
      await client.auth.signUp.mutate(input);
      savePendingSignUp({ email: input.email.trim(), sentAt: Date.now() });
      navigate(PATHS.verify);
    }),
  );

  const set = (name: (typeof FIELDS)[number]) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [name]: event.target.value }));

  return (
    <div className="page narrow">
      <PageHeading title={t('auth.signUpTitle')} />
      <p className="lead">{t('auth.signUpIntro')}</p>
      <form ref={form.ref} className="form" noValidate onSubmit={onSubmit} aria-busy={form.pending}>
        <EmailField hint={t('auth.emailHint')} invalid={!!byField.email} value={values.email} onChange={set('email')} />
        <NewPasswordField
          label={t('auth.password')}
          problem={problem}
          invalid={!!byField.password}
          name="password"
          value={values.password}
          onChange={set('password')}
        />
        <Field
          label={t('auth.nickname')}
          hint={t('auth.nicknameHint')}
          error={byField.nickname ? t('fields.nickname') : null}
          name="nickname"
          autoComplete="nickname"
          required
          value={values.nickname}
          onChange={set('nickname')}
        />
        <ProblemMessage problem={problem} />
        <button type="submit" className="button-primary">
          {form.pending ? t('auth.signingUp') : t('auth.signUpButton')}
        </button>
      </form>
      <p className="aside">
        <Link to={PATHS.login}>{t('auth.haveAccountLink')}</Link>
      </p>
    </div>
  );
}
