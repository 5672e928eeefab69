import { useMutation } from '@tanstack/react-query';
import { requestPasswordResetInput, resetPasswordInput } from '@youngchat/shared';
import { useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate, PATHS } from '../../lib/router.ts';
import { useTRPC, useTRPCClient } from '../../lib/trpc.ts';
import { Link } from '../../ui/link.tsx';
import { Notice, ProblemMessage } from '../../ui/messages.tsx';
import { PageHeading } from '../../ui/page-heading.tsx';
import { useForm } from '../../ui/use-form.ts';
import { useAuthSession } from './auth.hooks.ts';
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
  const client = useTRPCClient();
  const session = useAuthSession();
  const emailRef = useRef<HTMLInputElement>(null);
  const [flow, dispatch] = useReducer(resetFlow, RESET_START);
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [newPassword, setNewPassword] = useState('');
  // The form's own busy state is the reset's; asking for a code (first, or again) has its own.
  const form = useForm(FIELDS);
  const { problem, byField } = form;
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());

  const sendCode = (to: string) => {
    if (request.isPending) return;
    const input = { email: to };
    if (!form.check(requestPasswordResetInput, input)) return;
    request.mutate(input, {
      onSuccess: () => {
        dispatch({ type: 'code-sent', email: to, at: Date.now() });
        setCode('');
      },
      onError: form.fail,
    });
  };

  const onRequest = form.onSubmit(() => sendCode(email));

  // Busy until the signed-in screen shows (the socket reconnects first).
  const onReset = form.onSubmit(() => {
    if (flow.step !== 'code') return;
    form.submit(resetPasswordInput, { email: flow.email, code, newPassword }, async (input) => {
      await session.signIn(await client.auth.resetPassword.mutate(input), () => navigate(PATHS.home));
    });
  });

  const onChangeEmail = () => {
    dispatch({ type: 'change-email' });
    form.setProblem(null);
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
          <form ref={form.ref} className="form" noValidate onSubmit={onRequest} aria-busy={request.isPending}>
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
          <form ref={form.ref} className="form" noValidate onSubmit={onReset} aria-busy={form.pending}>
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
              {form.pending ? t('auth.savingPassword') : t('auth.resetButton')}
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
