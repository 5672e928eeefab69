import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage, type Problem } from '../lib/problems.ts';

/** Sentences a form can say more exactly than the general one for a code (a wrong password where no email was asked). */
export type ProblemWords = Partial<Record<Problem['code'], string>>;

/**
 * An error in plain words. role="alert" makes screen readers say it as soon as it appears; the element is only
 * rendered when there is something to say, so nothing is announced on page load.
 */
export function ProblemMessage({ problem, say }: { problem: Problem | null; say?: ProblemWords }) {
  const { t } = useTranslation();
  if (!problem) return null;
  return (
    <p role="alert" className="problem">
      {say?.[problem.code] ?? problemMessage(t, problem)}
    </p>
  );
}

/**
 * Good news ("Saved."): a polite status, announced without interrupting. The region is always in the page, so
 * screen readers are already watching it when the words arrive.
 */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="notice">
      {children}
    </p>
  );
}
