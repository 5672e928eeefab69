import { useMutation } from '@tanstack/react-query';
import { signUpInput } from '@youngchat/shared';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { checkInput, fieldIssues, toProblem, type Problem } from '../../lib/problems.ts';
import { navigate, PATHS } from '../../lib/router.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { Field } from '../../ui/field.tsx';
import { Link } from '../../ui/link.tsx';
import { ProblemMessage } from '../../ui/messages.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { useFocusFirstInvalid } from '../../ui/use-focus-invalid.ts';
import { EmailField } from './email-field.tsx';
import { NewPasswordField } from './new-password-field.tsx';
import { savePendingSignUp } from './pending-signup.ts';

const FIELDS = ['email', 'password', 'nickname'] as const;

export function SignUpPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState({ email: '', password: '', nickname: '' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  useFocusFirstInvalid(formRef, problem);

  const { byField } = fieldIssues(problem, FIELDS);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (signUp.isPending) return;
    const local = checkInput(signUpInput, values);
    setProblem(local);
    if (local) return;
    signUp.mutate(values, {
      onSuccess: () => {
        savePendingSignUp({ email: values.email.trim(), sentAt: Date.now() });
        navigate(PATHS.verify);
      },
      onError: (error) => setProblem(toProblem(error)),
    });
  };

  const set = (name: (typeof FIELDS)[number]) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [name]: event.target.value }));

  return (
    <div className="page narrow">
      <PageHeading title={t('auth.signUpTitle')} />
      <p className="lead">{t('auth.signUpIntro')}</p>
      <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-busy={signUp.isPending}>
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
          {signUp.isPending ? t('auth.signingUp') : t('auth.signUpButton')}
        </button>
      </form>
      <p className="aside">
        <Link to={PATHS.login}>{t('auth.haveAccountLink')}</Link>
      </p>
    </div>
  );
}
