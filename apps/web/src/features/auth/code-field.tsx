import { LIMITS } from '@youngchat/shared';
import { useTranslation } from 'react-i18next';
import { Field, type FieldProps } from '../../ui/field.tsx';

/** The box for the six digits a code email carries. */
export function CodeField({
  invalid,
  onCode,
  ...props
}: Omit<FieldProps, 'label' | 'hint' | 'error' | 'onChange'> & { invalid: boolean; onCode: (code: string) => void }) {
  const { t } = useTranslation();
  return (
    <Field
      className="code-field"
      label={t('auth.code')}
      hint={t('auth.codeHint')}
      error={invalid ? t('fields.code') : null}
      name="code"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]*"
      required
      // People paste "123 456" or "123-456" from the mail: keep the digits only. (No maxLength: the browser
      // would cut "123 456" to "123 45" before we could drop the space.)
      onChange={(e) => onCode(e.target.value.replace(/\D/g, '').slice(0, LIMITS.code.length))}
      {...props}
    />
  );
}
