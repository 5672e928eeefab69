import type { User } from '@youngchat/shared';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Avatar } from './avatar.tsx';
import { displayName } from './display-name.ts';

/** One person in a list of people: picture, name (and status, where it helps), and what can be done with them. */
export function PersonRow({ user, showStatus = false, children }: { user: User; showStatus?: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <li className="person">
      <Avatar user={user} size="small" />
      <span className="person-text">
        <span className="person-name">{displayName(user, t)}</span>
        {showStatus && user.statusMessage ? <span className="person-status">{user.statusMessage}</span> : null}
      </span>
      {children}
    </li>
  );
}
