import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toProblem, type Problem } from '../../lib/problems.ts';
import { navigate, PATHS } from '../../lib/router.ts';
import { ProblemMessage } from '../../ui/messages.tsx';
import { forgetChatData } from '../chat/chat.outbox.ts';
import { signOut } from './auth.session.ts';
import { getAuthState } from './auth.store.ts';

export function LogoutButton() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const onClick = () => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    const state = getAuthState();
    const userId = state.status === 'signed-in' ? state.user.id : null;
    signOut(() => {
      if (userId) forgetChatData(userId);
      navigate(PATHS.home);
    })
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
