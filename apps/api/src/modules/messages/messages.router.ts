import { messagesDeleteInput, messagesEditInput, messagesListInput, messagesReactInput, messagesSendInput, messagesSendPhotoFields } from '@youngchat/shared';
import { z } from 'zod';
import { authedProcedure, router } from '../../trpc/init.ts';

/** messages.sendPhoto's FormData: `file` and the fields of messagesSendPhotoFields. */
const photoUpload = z.instanceof(FormData).transform((form, ctx) => {
  const file = form.get('file');
  const fields = messagesSendPhotoFields.safeParse(
    Object.fromEntries(['roomId', 'clientId', 'caption', 'replyToId'].flatMap((name) => {
      const value = form.get(name);
      return typeof value === 'string' ? [[name, value]] : [];
    })),
  );
  if (!fields.success) {
    for (const issue of fields.error.issues) ctx.addIssue({ ...issue, code: 'custom' });
    return z.NEVER;
  }
  if (!(file instanceof Blob)) {
    ctx.addIssue({ code: 'custom', path: ['file'], message: 'expected a file' });
    return z.NEVER;
  }
  return { ...fields.data, caption: fields.data.caption || undefined, file };
});

export const messagesRouter = router({
  list: authedProcedure.input(messagesListInput).query(({ ctx, input }) => ctx.deps.services.messages.list(ctx.auth.userId, input)),
  send: authedProcedure.input(messagesSendInput).mutation(({ ctx, input }) => ctx.deps.services.messages.send(ctx.auth.userId, input)),
  sendPhoto: authedProcedure
    .input(photoUpload)
    .mutation(({ ctx, input }) => ctx.deps.services.messages.sendPhoto(ctx.auth.userId, input)),
  edit: authedProcedure.input(messagesEditInput).mutation(({ ctx, input }) => ctx.deps.services.messages.edit(ctx.auth.userId, input)),
  delete: authedProcedure
    .input(messagesDeleteInput)
    .mutation(({ ctx, input }) => ctx.deps.services.messages.delete(ctx.auth.userId, input)),
  react: authedProcedure.input(messagesReactInput).mutation(({ ctx, input }) => ctx.deps.services.messages.react(ctx.auth.userId, input)),
});
