import { useTranslation } from 'react-i18next';
import type { Problem } from '../../lib/problems.ts';
import type { FieldProps } from '../../ui/field.tsx';
import { PasswordField } from './password-field.tsx';

/**
 * A password being chosen (sign-up, reset, change): the same rules as a hint everywhere, and the reason it was
 * refused under the box, whether too short or long (`invalid`) or too common (the API's PASSWORD_TOO_COMMON).
 */
export function NewPasswordField({
  problem,
  invalid,
  ...props
}: Omit<FieldProps, 'hint' | 'error' | 'autoComplete' | 'required' | 'type' | 'after'> & { problem: Problem | null; invalid: boolean }) {
  const { t } = useTranslation();
  const error = problem?.code === 'PASSWORD_TOO_COMMON' ? t('errors.PASSWORD_TOO_COMMON') : invalid ? t('fields.password') : null;
  return <PasswordField {...props} hint={t('auth.newPasswordHint')} error={error} autoComplete="new-password" required />;
}
