import { profileGetInput, profileUpdateInput } from '@youngchat/shared';
import { z } from 'zod';
import { authedProcedure, router } from '../../trpc/init.ts';

/** Multipart with one `file` part; its name and Content-Type are ignored (the service sniffs the bytes). */
const avatarUpload = z.instanceof(FormData).transform((form, ctx) => {
  const file = form.get('file');
  if (file instanceof Blob) return file;
  ctx.addIssue({ code: 'custom', path: ['file'], message: 'expected a file' });
  return z.NEVER;
});

export const profileRouter = router({
  get: authedProcedure
    .input(profileGetInput)
    .query(({ ctx, input }) => ctx.deps.services.profile.get(ctx.auth.userId, input.userId)),

  update: authedProcedure
    .input(profileUpdateInput)
    .mutation(({ ctx, input }) => ctx.deps.services.profile.update(ctx.auth.userId, input)),

  setAvatar: authedProcedure
    .input(avatarUpload)
    .mutation(({ ctx, input }) => ctx.deps.services.profile.setAvatar(ctx.auth.userId, input)),

  removeAvatar: authedProcedure.mutation(({ ctx }) => ctx.deps.services.profile.removeAvatar(ctx.auth.userId)),
});
