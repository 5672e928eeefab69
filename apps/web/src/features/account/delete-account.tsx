import { useMutation } from '@tanstack/react-query';
import { accountDeleteInput } from '@youngchat/shared';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkInput, toProblem, type Problem } from '../../lib/problems.ts';
import { useTRPCClient } from '../../lib/trpc.ts';
import { ConfirmStep } from '../../ui/confirm-step.tsx';
import { useAuthSession } from '../auth/auth.hooks.ts';
import { useLeaveForHome } from '../auth/logout-button.tsx';
import { PasswordField } from '../auth/password-field.tsx';

/** Deleting the account, after saying plainly what that does and asking for the password. */
export function DeleteAccount() {
  const { t } = useTranslation();
  const client = useTRPCClient();
  const session = useAuthSession();
  const leaveForHome = useLeaveForHome();
  const remove = useMutation({
    mutationFn: (input: { password: string }) => session.endSession(() => client.account.delete.mutate(input), 'account-deleted', leaveForHome),
  });
  const [asking, setAsking] = useState(false);
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const close = () => {
    setAsking(false);
    setPassword('');
    setProblem(null);
    requestAnimationFrame(() => openRef.current?.focus());
  };

  const refused = (next: Problem) => {
    setProblem(next);
    if (next.code === 'BAD_INPUT' || next.code === 'INVALID_CREDENTIALS') passwordRef.current?.focus();
  };

  const onDelete = () => {
    if (remove.isPending) return;
    const local = checkInput(accountDeleteInput, { password });
    if (local) return refused(local);
    setProblem(null);
    remove.mutate({ password }, { onError: (error) => refused(toProblem(error)) });
  };

  const passwordError =
    problem?.code === 'INVALID_CREDENTIALS'
      ? t('account.wrongPassword')
      : problem?.code === 'BAD_INPUT'
        ? t('fields.loginPassword')
        : null;

  return (
    <section className="panel" aria-labelledby="delete-heading">
      <h2 id="delete-heading">{t('account.deleteHeading')}</h2>
      <p>{t('account.deleteIntro')}</p>
      <p className="actions">
        <button
          type="button"
          ref={openRef}
          className="button-danger"
          aria-expanded={asking}
          onClick={() => (asking ? close() : setAsking(true))}
        >
          {t('account.deleteOpen')}
        </button>
      </p>
      {asking ? (
        <ConfirmStep
          question={t('account.deleteQuestion')}
          no={t('account.deleteNo')}
          yes={t('account.deleteYes')}
          busyYes={t('account.deleting')}
          busy={remove.isPending}
          problem={problem}
          say={{ INVALID_CREDENTIALS: t('account.wrongPassword') }}
          onNo={close}
          onYes={onDelete}
        >
          <ul className="consequences">
            <li>{t('account.deleteProfile')}</li>
            <li>{t('account.deleteMessages')}</li>
            <li>{t('account.deleteDevices')}</li>
          </ul>
          <PasswordField
            ref={passwordRef}
            label={t('account.deletePassword')}
            error={passwordError}
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </ConfirmStep>
      ) : null}
    </section>
  );
}
