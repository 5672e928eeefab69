import { useMutation, useQueryClient } from '@tanstack/react-query';
import { changePasswordInput } from '@youngchat/shared';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { checkInput, fieldIssues, toProblem, type Problem } from '../../lib/problems.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { Notice, ProblemMessage } from '../../ui/messages.tsx';
import { useFocusFirstInvalid } from '../../ui/use-focus-invalid.ts';
import { NewPasswordField } from '../auth/new-password-field.tsx';
import { PasswordField } from '../auth/password-field.tsx';

const FIELDS = ['currentPassword', 'newPassword'] as const;
const EMPTY = { currentPassword: '', newPassword: '' };

/** The current password, then a new one; the API signs out the other devices and keeps this one. */
export function ChangePasswordForm() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(EMPTY);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [changed, setChanged] = useState(false);
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
  useFocusFirstInvalid(formRef, problem);

  const { byField } = fieldIssues(problem, FIELDS);
  const wrongPassword = problem?.code === 'INVALID_CREDENTIALS';

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (change.isPending) return;
    setChanged(false);
    const local = checkInput(changePasswordInput, values);
    setProblem(local);
    if (local) return;
    change.mutate(values, {
      onSuccess: () => {
        setValues(EMPTY);
        setChanged(true);
        // The other devices are gone from the list now.
        void queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.queryKey() });
      },
      onError: (error) => setProblem(toProblem(error)),
    });
  };

  return (
    <section className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">{t('account.passwordHeading')}</h2>
      <form ref={formRef} className="form" noValidate onSubmit={onSubmit} aria-busy={change.isPending}>
        <PasswordField
          label={t('account.currentPassword')}
          error={wrongPassword ? t('account.wrongPassword') : byField.currentPassword ? t('fields.loginPassword') : null}
          name="currentPassword"
          autoComplete="current-password"
          required
          value={values.currentPassword}
          onChange={(e) => setValues((v) => ({ ...v, currentPassword: e.target.value }))}
        />
        <NewPasswordField
          label={t('auth.newPassword')}
          problem={problem}
          invalid={!!byField.newPassword}
          name="newPassword"
          value={values.newPassword}
          onChange={(e) => setValues((v) => ({ ...v, newPassword: e.target.value }))}
        />
        <ProblemMessage problem={problem} say={{ INVALID_CREDENTIALS: t('account.wrongPassword') }} />
        <button type="submit" className="button-primary">
          {change.isPending ? t('account.changingPassword') : t('account.changePassword')}
        </button>
        <Notice>{changed ? t('account.passwordChanged') : null}</Notice>
      </form>
    </section>
  );
}
