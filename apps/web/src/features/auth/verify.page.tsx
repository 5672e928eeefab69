import { useMutation } from '@tanstack/react-query';
import { LIMITS, resendCodeInput, verifyEmailInput } from '@youngchat/shared';
import { useRef, useState, type FormEvent, type MouseEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { checkInput, fieldIssues, toProblem, type Problem } from '../../lib/problems.ts';
import { navigate, PATHS } from '../../lib/router.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { EmailField } from './email-field.tsx';
import { Field } from '../../ui/field.tsx';
import { Link } from '../../ui/link.tsx';
import { Notice, ProblemMessage } from '../../ui/messages.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { useFocusFirstInvalid } from '../../ui/use-focus-invalid.ts';
import { signIn } from './auth.session.ts';
import {
  clearPendingSignUp,
  cooldownSecondsLeft,
  readPendingSignUp,
  savePendingSignUp,
  type PendingSignUp,
} from './pending-signup.ts';
import { useNow } from './use-now.ts';

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

  const counting = pending !== null && cooldownSecondsLeft(pending.sentAt, Date.now()) > 0;
  const secondsLeft = cooldownSecondsLeft(pending?.sentAt ?? 0, useNow(counting));
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

  const onResend = (event: MouseEvent) => {
    event.preventDefault();
    // aria-disabled rather than disabled: the button keeps focus while it counts down, so nobody gets lost.
    if (secondsLeft > 0 || resend.isPending) return;
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

  const resendLabel = resend.isPending
    ? t('auth.resending')
    : secondsLeft > 0
      ? t('auth.resendWait', { count: secondsLeft })
      : t('auth.resend');

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
        <Field
          className="code-field"
          label={t('auth.code')}
          hint={t('auth.codeHint')}
          error={byField.code ? t('fields.code') : null}
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          required
          value={code}
          // People paste "123 456" or "123-456" from the mail: keep the digits only. (No maxLength: the browser
          // would cut "123 456" to "123 45" before we could drop the space.)
          onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, LIMITS.code.length))}
        />
        <ProblemMessage problem={problem} />
        <button type="submit" className="button-primary">
          {verify.isPending || finishing ? t('auth.verifying') : t('auth.verifyButton')}
        </button>
      </form>
      <div className="resend">
        <p>{t('auth.verifySpam')}</p>
        <button
          type="button"
          className="button-secondary"
          aria-disabled={secondsLeft > 0 || resend.isPending ? true : undefined}
          onClick={onResend}
        >
          {resendLabel}
        </button>
        <Notice>{resent ? t('auth.resent') : null}</Notice>
      </div>
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
