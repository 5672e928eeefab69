import { publicProcedure, router } from '../../trpc/init.ts';

export const systemRouter = router({
  info: publicProcedure.query(({ ctx }) => ctx.deps.services.system.info()),
});
