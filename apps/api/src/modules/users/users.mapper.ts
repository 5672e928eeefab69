import type { User } from '@youngchat/shared';
import type { UserRow } from './users.repository.ts';

/** Rows to the API's User: the email only when the user asks about themself. */
export function toUser(row: UserRow, viewerId: string | undefined): User {
  return {
    id: row.id,
    ...(viewerId === row.id ? { email: row.email } : {}),
    nickname: row.nickname,
    statusMessage: row.status_message,
    avatarUrl: row.avatar_key ? `/files/${row.avatar_key}` : null,
    ...(row.deleted_at ? { deleted: true as const } : {}),
  };
}
