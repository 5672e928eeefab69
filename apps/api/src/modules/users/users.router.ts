import { usersSearchInput } from '@youngchat/shared';
import { authedProcedure, router } from '../../trpc/init.ts';

export const usersRouter = router({
  search: authedProcedure
    .input(usersSearchInput)
    .query(({ ctx, input }) => ctx.deps.services.users.search(ctx.auth.userId, input.query)),
});
