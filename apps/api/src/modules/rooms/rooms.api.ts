/** What other modules may use of rooms: these, and nothing else of this folder. */
export { notAMember, requireMember } from './rooms.policy.ts';
export { activeMembers, contactsOf, roomsOf, type MemberRow } from './rooms.repository.ts';
export type { RoomsService } from './rooms.service.ts';
