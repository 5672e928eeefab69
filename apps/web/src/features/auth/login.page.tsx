import { useMutation } from '@tanstack/react-query';
import { loginInput } from '@youngchat/shared';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { checkInput, fieldIssues, toProblem, type Problem } from '../../lib/problems.ts';
import { navigate, PATHS, safeNextPath, useLocation } from '../../lib/router.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { Link } from '../../ui/link.tsx';
import { ProblemMessage } from '../../ui/messages.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { useFocusFirstInvalid } from '../../ui/use-focus-invalid.ts';
import { useAuth } from './auth.hooks.ts';
import { signIn } from './auth.session.ts';
import { EmailField } from './email-field.tsx';
import { PasswordField } from './password-field.tsx';

const FIELDS = ['email', 'password'] as const;

export function LoginPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const auth = useAuth();
  const { search } = useLocation();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState({ email: '', password: '' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const login = useMutation(trpc.auth.login.mutationOptions());
  // Between the answer and the signed-in screen (the socket reconnects): the button must not invite a second go.
  const [finishing, setFinishing] = useState(false);
  useFocusFirstInvalid(formRef, problem);

  const { byField } = fieldIssues(problem, FIELDS);
  // Why the person is here, when the app sent them: their session ran out.
  const expired = !problem && auth.status === 'signed-out' && auth.reason === 'expired';

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (login.isPending || finishing) return;
    const local = checkInput(loginInput, values);
    setProblem(local);
    if (local) return;
    login.mutate(values, {
      onSuccess: (session) => {
        setFinishing(true);
        void signIn(session, () => navigate(safeNextPath(new URLSearchParams(search).get('next'))));
      },
      onError: (error) => setProblem(toProblem(error)),
    });
  };

  return (
    <div className="page narrow">
      <PageHeading title={t('auth.logInTitle')} />
      <p className="lead">{t('auth.logInIntro')}</p>
      {expired ? <ProblemMessage problem={{ code: 'SESSION_EXPIRED', issues: [] }} /> : null}
      <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-busy={login.isPending || finishing}>
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
          {login.isPending || finishing ? t('auth.loggingIn') : t('auth.logInButton')}
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
