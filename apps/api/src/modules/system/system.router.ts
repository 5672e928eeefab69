import { tracked } from '@trpc/server';
import { systemTicksInput } from '@youngchat/shared';
import { publicProcedure, router } from '../../trpc/init.ts';

export const systemRouter = router({
  info: publicProcedure.query(({ ctx }) => ctx.deps.services.system.info()),

  ticks: publicProcedure.input(systemTicksInput).subscription(async function* ({ ctx, input, signal }) {
    for await (const tick of ctx.deps.services.system.ticks(input, signal)) {
      yield tracked(String(tick.n), tick);
    }
  }),
});
