import { authRouter } from '../modules/auth/auth.router.ts';
import { profileRouter } from '../modules/profile/profile.router.ts';
import { systemRouter } from '../modules/system/system.router.ts';
import { usersRouter } from '../modules/users/users.router.ts';
import { router } from './init.ts';

export const appRouter = router({
  auth: authRouter,
  profile: profileRouter,
  system: systemRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
