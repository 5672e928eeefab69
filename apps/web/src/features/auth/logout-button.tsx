import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toProblem, type Problem } from '../../lib/problems.ts';
import { focusHeadingNext, navigate, PATHS } from '../../lib/router.ts';
import { ProblemMessage } from '../../ui/messages.tsx';
import { useChatIfSignedIn } from '../chat/chat.context.tsx';
import { useAuthSession } from './auth.hooks.ts';

/**
 * What every way of signing out does here as it happens: this person's drafts, unsent messages and photos leave
 * the browser, and the home page shows. The chat is the one of who is signed in as the page draws, before the
 * signed-out state replaces them.
 */
export function useLeaveForHome(): () => void {
  const chat = useChatIfSignedIn();
  return () => {
    chat?.forget();
    // Also when already on the home page (no navigation then): the welcome page replaces the chats under focus.
    focusHeadingNext();
    navigate(PATHS.home);
  };
}

export function LogoutButton() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const session = useAuthSession();
  const leaveForHome = useLeaveForHome();

  const onClick = () => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    session
      .signOut(leaveForHome)
      .catch((error: unknown) => setProblem(toProblem(error)))
      .finally(() => setBusy(false));
  };

  return (
    <div className="logout">
      <button type="button" className="button-secondary" onClick={onClick} aria-disabled={busy || undefined}>
        {busy ? t('auth.loggingOut') : t('auth.logOut')}
      </button>
      <ProblemMessage problem={problem} />
    </div>
  );
}
