import { useTranslation } from 'react-i18next';
import { Field, type FieldProps } from '../../ui/field.tsx';

/** The email box every auth page shows: the right keyboard, no autocapitalising, no spell-check squiggles. */
export function EmailField({ invalid, ...props }: Omit<FieldProps, 'label' | 'error' | 'type' | 'name'> & { invalid: boolean }) {
  const { t } = useTranslation();
  return (
    <Field
      label={t('auth.email')}
      error={invalid ? t('fields.email') : null}
      type="email"
      name="email"
      autoComplete="email"
      inputMode="email"
      autoCapitalize="none"
      spellCheck={false}
      required
      {...props}
    />
  );
}
