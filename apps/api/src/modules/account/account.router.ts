import { accountDeleteInput } from '@youngchat/shared';
import { authedProcedure, router } from '../../trpc/init.ts';
import { beforeEndingCookieSession, clearRefreshCookie } from '../auth/auth.api.ts';

export const accountRouter = router({
  delete: authedProcedure.input(accountDeleteInput).mutation(async ({ ctx, input }) => {
    beforeEndingCookieSession(ctx);
    await ctx.deps.services.account.delete(ctx.auth, input.password);
    clearRefreshCookie(ctx);
    return { ok: true as const };
  }),

  export: authedProcedure.query(({ ctx }) => ctx.deps.services.account.export(ctx.auth)),
});
