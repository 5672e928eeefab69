import { useEffect, type RefObject } from 'react';

/**
 * After a failed submit, put the cursor in the first box that needs fixing: its label and error are read out,
 * and the person can type straight away.
 */
export function useFocusFirstInvalid(form: RefObject<HTMLFormElement | null>, trigger: unknown): void {
  useEffect(() => {
    if (!trigger) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [form, trigger]);
}
