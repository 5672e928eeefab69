import {
  roomsCreateGroupInput,
  roomsGetInput,
  roomsInviteInput,
  roomsLeaveInput,
  roomsMarkReadInput,
  roomsOpenDirectInput,
  roomsSetTypingInput,
} from '@youngchat/shared';
import { authedProcedure, router } from '../../trpc/init.ts';

export const roomsRouter = router({
  list: authedProcedure.query(({ ctx }) => ctx.deps.services.rooms.list(ctx.auth.userId)),
  get: authedProcedure.input(roomsGetInput).query(({ ctx, input }) => ctx.deps.services.rooms.get(ctx.auth.userId, input.roomId)),
  openDirect: authedProcedure
    .input(roomsOpenDirectInput)
    .mutation(({ ctx, input }) => ctx.deps.services.rooms.openDirect(ctx.auth.userId, input.userId)),
  createGroup: authedProcedure
    .input(roomsCreateGroupInput)
    .mutation(({ ctx, input }) => ctx.deps.services.rooms.createGroup(ctx.auth.userId, input.name, input.memberIds)),
  invite: authedProcedure
    .input(roomsInviteInput)
    .mutation(({ ctx, input }) => ctx.deps.services.rooms.invite(ctx.auth.userId, input.roomId, input.userIds)),
  leave: authedProcedure.input(roomsLeaveInput).mutation(({ ctx, input }) => ctx.deps.services.rooms.leave(ctx.auth.userId, input.roomId)),
  markRead: authedProcedure
    .input(roomsMarkReadInput)
    .mutation(({ ctx, input }) => ctx.deps.services.rooms.markRead(ctx.auth.userId, input.roomId, input.seq)),
  setTyping: authedProcedure
    .input(roomsSetTypingInput)
    .mutation(({ ctx, input }) => ctx.deps.services.rooms.setTyping(ctx.auth.userId, input.roomId)),
});
