import { accountRouter } from '../modules/account/account.router.ts';
import { authRouter } from '../modules/auth/auth.router.ts';
import { eventsRouter } from '../modules/events/events.router.ts';
import { messagesRouter } from '../modules/messages/messages.router.ts';
import { roomsRouter } from '../modules/rooms/rooms.router.ts';
import { profileRouter } from '../modules/profile/profile.router.ts';
import { systemRouter } from '../modules/system/system.router.ts';
import { usersRouter } from '../modules/users/users.router.ts';
import { router } from './init.ts';

export const appRouter = router({
  auth: authRouter,
  account: accountRouter,
  profile: profileRouter,
  rooms: roomsRouter,
  messages: messagesRouter,
  events: eventsRouter,
  system: systemRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
