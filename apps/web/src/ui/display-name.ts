import type { TFunction } from 'i18next';
import type { User } from '@youngchat/shared';

/** The name to show for a person: a deleted account keeps its messages but has no name left, so it gets a label. */
export function displayName(user: Pick<User, 'nickname' | 'deleted'>, t: TFunction): string {
  return user.deleted ? t('app.deletedUser') : user.nickname;
}
