import { loginInput } from '@youngchat/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate, PATHS, safeNextPath, useLocation } from '../../lib/router.ts';
import { useTRPCClient } from '../../lib/trpc.ts';
import { Link } from '../../ui/link.tsx';
import { ProblemMessage } from '../../ui/messages.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { useForm } from '../../ui/use-form.ts';
import { useAuth, useAuthSession } from './auth.hooks.ts';
import { EmailField } from './email-field.tsx';
import { PasswordField } from './password-field.tsx';

const FIELDS = ['email', 'password'] as const;

export function LoginPage() {
  const { t } = useTranslation();
  const client = useTRPCClient();
  const auth = useAuth();
  const session = useAuthSession();
  const { search } = useLocation();
  const [values, setValues] = useState({ email: '', password: '' });
  const form = useForm(FIELDS);
  const { problem, byField } = form;
  // Why the person is here, when the app sent them: their session ran out.
  const expired = !problem && auth.status === 'signed-out' && auth.reason === 'expired';

  // Busy until the signed-in screen shows (the socket reconnects first).
  const onSubmit = form.onSubmit(() =>
    form.submit(loginInput, values, async (input) => {
      const answer = await client.auth.login.mutate(input);
      await session.signIn(answer, () => navigate(safeNextPath(new URLSearchParams(search).get('next'))));
    }),
  );

  return (
    <div className="page narrow">
      <PageHeading title={t('auth.logInTitle')} />
      <p className="lead">{t('auth.logInIntro')}</p>
      {expired ? <ProblemMessage problem={{ code: 'SESSION_EXPIRED', issues: [] }} /> : null}
      <form ref={form.ref} className="form" noValidate onSubmit={onSubmit} aria-busy={form.pending}>
        <EmailField
          // Password managers pair the sign-in email with the saved password as the "username".
          autoComplete="username"
          invalid={!!byField.email}
          value={values.email}
          onChange={(e) => setValues((v) => ({ ...v, email: e.target.value }))}
        />
        <PasswordField
          label={t('auth.password')}
          error={byField.password ? t('fields.loginPassword') : null}
          name="password"
          autoComplete="current-password"
          required
          value={values.password}
          onChange={(e) => setValues((v) => ({ ...v, password: e.target.value }))}
        />
        <ProblemMessage problem={problem} />
        <button type="submit" className="button-primary">
          {form.pending ? t('auth.loggingIn') : t('auth.logInButton')}
        </button>
      </form>
      <p className="aside">
        <Link to={PATHS['reset-password']}>{t('auth.forgotPasswordLink')}</Link>
      </p>
      <p className="aside">
        <Link to={PATHS.signup}>{t('auth.noAccountLink')}</Link>
      </p>
    </div>
  );
}
