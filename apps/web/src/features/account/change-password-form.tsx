import { useQueryClient } from '@tanstack/react-query';
import { changePasswordInput } from '@youngchat/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPC, useTRPCClient } from '../../lib/trpc.ts';
import { Notice, ProblemMessage } from '../../ui/messages.tsx';
import { useForm } from '../../ui/use-form.ts';
import { NewPasswordField } from '../auth/new-password-field.tsx';
import { PasswordField } from '../auth/password-field.tsx';

const FIELDS = ['currentPassword', 'newPassword'] as const;
const EMPTY = { currentPassword: '', newPassword: '' };

/** The current password, then a new one; the API signs out the other devices and keeps this one. */
export function ChangePasswordForm() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [values, setValues] = useState(EMPTY);
  const [changed, setChanged] = useState(false);
  const form = useForm(FIELDS);
  const { problem, byField } = form;
  const wrongPassword = problem?.code === 'INVALID_CREDENTIALS';

  const onSubmit = form.onSubmit(() => {
    setChanged(false);
    form.submit(changePasswordInput, values, async (input) => {
      await client.auth.changePassword.mutate(input);
      setValues(EMPTY);
      setChanged(true);
      // The other devices are gone from the list now.
      void queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.queryKey() });
    });
  });

  return (
    <section className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">{t('account.passwordHeading')}</h2>
      <form ref={form.ref} className="form" noValidate onSubmit={onSubmit} aria-busy={form.pending}>
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
          {form.pending ? t('account.changingPassword') : t('account.changePassword')}
        </button>
        <Notice>{changed ? t('account.passwordChanged') : null}</Notice>
      </form>
    </section>
  );
}
