/** What other modules may use of users: these, and nothing else of this folder. */
export { toUser } from './users.mapper.ts';
export {
  emailExists,
  findCredentials,
  findUserById,
  findUsersByIds,
  freeDeletedEmails,
  insertUser,
  markDeleted,
  setPasswordHash,
  replaceAvatarKey,
  updateProfile,
  type UserRow,
} from './users.repository.ts';
