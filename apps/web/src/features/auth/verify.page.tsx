import { useMutation } from '@tanstack/react-query';
import { resendCodeInput, verifyEmailInput } from '@youngchat/shared';
import { useRef, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { checkInput, fieldIssues, toProblem, type Problem } from '../../lib/problems.ts';
import { navigate, PATHS } from '../../lib/router.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { EmailField } from './email-field.tsx';
import { Link } from '../../ui/link.tsx';
import { ProblemMessage } from '../../ui/messages.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { useFocusFirstInvalid } from '../../ui/use-focus-invalid.ts';
import { signIn } from './auth.session.ts';
import { CodeField } from './code-field.tsx';
import { clearPendingSignUp, readPendingSignUp, savePendingSignUp, type PendingSignUp } from './pending-signup.ts';
import { ResendCode } from './resend-code.tsx';

const FIELDS = ['email', 'code'] as const;

/** "We sent you a code": one box for the six digits, one button to confirm, and a way to get a new code. */
export function VerifyPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const formRef = useRef<HTMLFormElement>(null);
  const [pending, setPending] = useState<PendingSignUp | null>(readPendingSignUp);
  const [email, setEmail] = useState(pending?.email ?? '');
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [resent, setResent] = useState(false);
  const verify = useMutation(trpc.auth.verifyEmail.mutationOptions());
  const resend = useMutation(trpc.auth.resendCode.mutationOptions());
  // Between the answer and the signed-in screen (the socket reconnects): the button must not invite a second go.
  const [finishing, setFinishing] = useState(false);
  useFocusFirstInvalid(formRef, problem);

  const { byField } = fieldIssues(problem, FIELDS);
  const knownEmail = pending?.email;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (verify.isPending || finishing) return;
    const input = { email: knownEmail ?? email, code };
    const local = checkInput(verifyEmailInput, input);
    setProblem(local);
    setResent(false);
    if (local) return;
    verify.mutate(input, {
      onSuccess: (session) => {
        setFinishing(true);
        clearPendingSignUp();
        void signIn(session, () => navigate(PATHS.home));
      },
      onError: (error) => setProblem(toProblem(error)),
    });
  };

  const onResend = () => {
    const input = { email: knownEmail ?? email };
    const local = checkInput(resendCodeInput, input);
    setProblem(local);
    setResent(false);
    if (local) return;
    resend.mutate(input, {
      onSuccess: () => {
        const next = { email: input.email.trim(), sentAt: Date.now() };
        savePendingSignUp(next);
        setPending(next);
        setResent(true);
        setCode('');
      },
      onError: (error) => setProblem(toProblem(error)),
    });
  };

  return (
    <div className="page narrow">
      <PageHeading title={t('auth.verifyTitle')} />
      <p className="lead">
        {knownEmail ? (
          <Trans i18nKey="auth.verifyIntro" values={{ email: knownEmail }} components={{ strong: <strong /> }} />
        ) : (
          t('auth.verifyIntroNoEmail')
        )}
      </p>
      <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-busy={verify.isPending || finishing}>
        {knownEmail ? null : (
          <EmailField hint={t('auth.emailHint')} invalid={!!byField.email} value={email} onChange={(e) => setEmail(e.target.value)} />
        )}
        <CodeField invalid={!!byField.code} value={code} onCode={setCode} />
        <ProblemMessage problem={problem} />
        <button type="submit" className="button-primary">
          {verify.isPending || finishing ? t('auth.verifying') : t('auth.verifyButton')}
        </button>
      </form>
      <ResendCode sentAt={pending?.sentAt ?? null} busy={resend.isPending} resent={resent} onResend={onResend} />
      <p className="aside">
        <Link
          to={PATHS.signup}
          onClick={() => {
            clearPendingSignUp();
          }}
        >
          {t('auth.wrongEmailLink')}
        </Link>
      </p>
    </div>
  );
}
