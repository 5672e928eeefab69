import type { User } from '@youngchat/shared';
import { useTranslation } from 'react-i18next';
import { displayName } from './display-name.ts';

/** The first letter as a person sees it: one grapheme, so '김', 'É' or an emoji is never cut in half. */
export function initialOf(nickname: string): string {
  const trimmed = nickname.trim();
  if (!trimmed) return '?';
  const first = new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(trimmed)[Symbol.iterator]().next();
  return (first.done ? trimmed[0]! : first.value.segment).toLocaleUpperCase();
}

interface AvatarProps {
  user: Pick<User, 'nickname' | 'avatarUrl' | 'deleted'>;
  size: 'tiny' | 'medium' | 'small' | 'large';
  /** The accessible name when the picture means something on its own; omit when the name is already next to it. */
  label?: string;
}

export function Avatar({ user, size, label }: AvatarProps) {
  const { t } = useTranslation();
  const initial = initialOf(displayName(user, t));
  const className = `avatar avatar-${size}`;
  if (user.avatarUrl) {
    return <img className={className} src={user.avatarUrl} alt={label ?? ''} width={512} height={512} />;
  }
  return label ? (
    <span className={`${className} avatar-initial`} role="img" aria-label={label}>
      {initial}
    </span>
  ) : (
    <span className={`${className} avatar-initial`} aria-hidden="true">
      {initial}
    </span>
  );
}
