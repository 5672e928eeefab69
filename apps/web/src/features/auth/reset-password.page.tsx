import { useMutation } from '@tanstack/react-query';
import { requestPasswordResetInput, resetPasswordInput } from '@youngchat/shared';
import { useReducer, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { checkInput, fieldIssues, toProblem, type Problem } from '../../lib/problems.ts';
import { navigate, PATHS } from '../../lib/router.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { Link } from '../../ui/link.tsx';
import { Notice, ProblemMessage } from '../../ui/messages.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { useFocusFirstInvalid } from '../../ui/use-focus-invalid.ts';
import { signIn } from './auth.session.ts';
import { CodeField } from './code-field.tsx';
import { EmailField } from './email-field.tsx';
import { NewPasswordField } from './new-password-field.tsx';
import { ResendCode } from './resend-code.tsx';
import { RESET_START, resetFlow } from './reset-flow.ts';

const FIELDS = ['email', 'code', 'newPassword'] as const;

/** Forgot the password: the email → a code by mail → the code and a new password → signed in. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const formRef = useRef<HTMLFormElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const [flow, dispatch] = useReducer(resetFlow, RESET_START);
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  const reset = useMutation(trpc.auth.resetPassword.mutationOptions());
  // Between the answer and the signed-in screen (the socket reconnects): the button must not invite a second go.
  const [finishing, setFinishing] = useState(false);
  useFocusFirstInvalid(formRef, problem);
  const { byField } = fieldIssues(problem, FIELDS);

  const sendCode = (to: string) => {
    if (request.isPending) return;
    const input = { email: to };
    const local = checkInput(requestPasswordResetInput, input);
    setProblem(local);
    if (local) return;
    request.mutate(input, {
      onSuccess: () => {
        dispatch({ type: 'code-sent', email: to, at: Date.now() });
        setCode('');
      },
      onError: (error) => setProblem(toProblem(error)),
    });
  };

  const onRequest = (event: FormEvent) => {
    event.preventDefault();
    sendCode(email);
  };

  const onReset = (event: FormEvent) => {
    event.preventDefault();
    if (flow.step !== 'code' || reset.isPending || finishing) return;
    const input = { email: flow.email, code, newPassword };
    const local = checkInput(resetPasswordInput, input);
    setProblem(local);
    if (local) return;
    reset.mutate(input, {
      onSuccess: (session) => {
        setFinishing(true);
        void signIn(session, () => navigate(PATHS.home));
      },
      onError: (error) => setProblem(toProblem(error)),
    });
  };

  const onChangeEmail = () => {
    dispatch({ type: 'change-email' });
    setProblem(null);
    requestAnimationFrame(() => emailRef.current?.focus());
  };

  return (
    <div className="page narrow">
      <PageHeading title={t('auth.resetTitle')} />
      {/* Always in the page, so screen readers are already listening when the words arrive. */}
      <Notice>{flow.step === 'code' ? t('auth.resetSent', { email: flow.email }) : null}</Notice>
      {flow.step === 'email' ? (
        <>
          <p className="lead">{t('auth.resetIntro')}</p>
          <form ref={formRef} className="form" noValidate onSubmit={onRequest} aria-busy={request.isPending}>
            <EmailField
              ref={emailRef}
              hint={t('auth.emailHint')}
              autoComplete="username"
              invalid={!!byField.email}
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <ProblemMessage problem={problem} />
            <button type="submit" className="button-primary">
              {request.isPending ? t('auth.resending') : t('auth.sendCode')}
            </button>
          </form>
        </>
      ) : (
        <>
          <form ref={formRef} className="form" noValidate onSubmit={onReset} aria-busy={reset.isPending || finishing}>
            {/* The form the person was in was just replaced by this one (never on arrival): carry on in the box. */}
            <CodeField autoFocus invalid={!!byField.code} value={code} onCode={setCode} />
            <NewPasswordField
              label={t('auth.newPassword')}
              problem={problem}
              invalid={!!byField.newPassword}
              name="newPassword"
              value={newPassword}
              onChange={(e) => setNewPassword(e.target.value)}
            />
            <ProblemMessage problem={problem} />
            <button type="submit" className="button-primary">
              {reset.isPending || finishing ? t('auth.savingPassword') : t('auth.resetButton')}
            </button>
          </form>
          <ResendCode sentAt={flow.sentAt} busy={request.isPending} resent={flow.resent} onResend={() => sendCode(flow.email)} />
          <p className="actions">
            <button type="button" className="button-secondary" onClick={onChangeEmail}>
              {t('auth.wrongEmailLink')}
            </button>
          </p>
        </>
      )}
      <p className="aside">
        <Link to={PATHS.login}>{t('auth.backToLogin')}</Link>
      </p>
    </div>
  );
}
