import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, type FieldProps } from '../../ui/field.tsx';

/** A password box with a Show/Hide button: typing blind is the most common reason older people get locked out. */
export function PasswordField(props: Omit<FieldProps, 'type' | 'after'>) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  return (
    <Field
      {...props}
      type={shown ? 'text' : 'password'}
      spellCheck={false}
      autoCapitalize="none"
      autoCorrect="off"
      after={
        <button type="button" className="button-secondary" onClick={() => setShown((s) => !s)}>
          {shown ? t('auth.hidePassword') : t('auth.showPassword')}
        </button>
      }
    />
  );
}
