import { messagesDeleteInput, messagesEditInput, messagesListInput, messagesSendInput } from '@youngchat/shared';
import { authedProcedure, router } from '../../trpc/init.ts';

export const messagesRouter = router({
  list: authedProcedure.input(messagesListInput).query(({ ctx, input }) => ctx.deps.services.messages.list(ctx.auth.userId, input)),
  send: authedProcedure.input(messagesSendInput).mutation(({ ctx, input }) => ctx.deps.services.messages.send(ctx.auth.userId, input)),
  edit: authedProcedure.input(messagesEditInput).mutation(({ ctx, input }) => ctx.deps.services.messages.edit(ctx.auth.userId, input)),
  delete: authedProcedure
    .input(messagesDeleteInput)
    .mutation(({ ctx, input }) => ctx.deps.services.messages.delete(ctx.auth.userId, input)),
});
