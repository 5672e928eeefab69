import { usersBlockInput, usersSearchInput, usersUnblockInput } from '@youngchat/shared';
import { authedProcedure, router } from '../../trpc/init.ts';

export const usersRouter = router({
  search: authedProcedure
    .input(usersSearchInput)
    .query(({ ctx, input }) => ctx.deps.services.users.search(ctx.auth.userId, input.query)),
  block: authedProcedure
    .input(usersBlockInput)
    .mutation(({ ctx, input }) => ctx.deps.services.blocks.block(ctx.auth.userId, input.userId)),
  unblock: authedProcedure
    .input(usersUnblockInput)
    .mutation(({ ctx, input }) => ctx.deps.services.blocks.unblock(ctx.auth.userId, input.userId)),
  blocked: authedProcedure.query(({ ctx }) => ctx.deps.services.blocks.blocked(ctx.auth.userId)),
});
