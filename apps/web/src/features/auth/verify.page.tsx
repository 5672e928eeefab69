import { useMutation } from '@tanstack/react-query';
import { resendCodeInput, verifyEmailInput } from '@youngchat/shared';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { navigate, PATHS } from '../../lib/router.ts';
import { useTRPC, useTRPCClient } from '../../lib/trpc.ts';
import { Link } from '../../ui/link.tsx';
import { ProblemMessage } from '../../ui/messages.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { useForm } from '../../ui/use-form.ts';
import { useAuthSession } from './auth.hooks.ts';
import { CodeField } from './code-field.tsx';
import { EmailField } from './email-field.tsx';
import { clearPendingSignUp, readPendingSignUp, savePendingSignUp, type PendingSignUp } from './pending-signup.ts';
import { ResendCode } from './resend-code.tsx';

const FIELDS = ['email', 'code'] as const;

/** "We sent you a code": one box for the six digits, one button to confirm, and a way to get a new code. */
export function VerifyPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const session = useAuthSession();
  const [pending, setPending] = useState<PendingSignUp | null>(readPendingSignUp);
  const [email, setEmail] = useState(pending?.email ?? '');
  const [code, setCode] = useState('');
  const [resent, setResent] = useState(false);
  const form = useForm(FIELDS);
  const { problem, byField } = form;
  // Busy on its own: asking for a new code does not make the confirm button look busy.
  const resend = useMutation(trpc.auth.resendCode.mutationOptions());
  const knownEmail = pending?.email;

  // Busy until the signed-in screen shows (the socket reconnects first).
  const onSubmit = form.onSubmit(() => {
    setResent(false);
    form.submit(verifyEmailInput, { email: knownEmail ?? email, code }, async (input) => {
      const answer = await client.auth.verifyEmail.mutate(input);
      clearPendingSignUp();
      await session.signIn(answer, () => navigate(PATHS.home));
    });
  });

  const onResend = () => {
    const input = { email: knownEmail ?? email };
    setResent(false);
    if (!form.check(resendCodeInput, input)) return;
    resend.mutate(input, {
      onSuccess: () => {
        const next = { email: input.email.trim(), sentAt: Date.now() };
        savePendingSignUp(next);
        setPending(next);
        setResent(true);
        setCode('');
      },
      onError: form.fail,
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
      <form ref={form.ref} className="form" noValidate onSubmit={onSubmit} aria-busy={form.pending}>
        {knownEmail ? null : (
          <EmailField hint={t('auth.emailHint')} invalid={!!byField.email} value={email} onChange={(e) => setEmail(e.target.value)} />
        )}
        <CodeField invalid={!!byField.code} value={code} onCode={setCode} />
        <ProblemMessage problem={problem} />
        <button type="submit" className="button-primary">
          {form.pending ? t('auth.verifying') : t('auth.verifyButton')}
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
