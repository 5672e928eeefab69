// Who is in which room, for every target alike: the API's seeded database and the bare server's rooms.

export type RoomSize = number | 'mix';

export interface PlannedRoom {
  kind: 'direct' | 'group';
  /** User indices, ascending. */
  members: number[];
}

export interface RoomPlan {
  rooms: PlannedRoom[];
  /** Room indices of each user. */
  roomsOf: number[][];
}

/**
 * The default mix, per user: three 1:1 rooms, two groups of 10 and one group of 100, each with other people.
 * A send goes to one of the sender's rooms at random, so one send in six reaches 99 members, and on average a
 * send owes (3 × 1 + 2 × 9 + 99) ÷ 6 = 20 deliveries.
 */
export const MIX = { direct: 3, groupsOf10: 2, groupsOf100: 1 } as const;

/** Splits `order` into the fewest groups of at most `size`, sizes as even as possible (so no room of one). */
function evenGroups(order: number[], size: number): number[][] {
  const count = Math.ceil(order.length / size);
  return Array.from({ length: count }, (_, g) => order.slice(Math.floor((g * order.length) / count), Math.floor(((g + 1) * order.length) / count)));
}

/** A fixed-seed shuffle (mulberry32), so every run and every target get the same rooms. */
function shuffled(n: number, seed: number): number[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const byIndex = (a: number, b: number) => a - b;

export const describeRooms = (size: RoomSize) =>
  size === 'mix' ? 'the mix (per user: three 1:1 rooms, two groups of 10, one of 100)' : `rooms of ${size}`;

/** `users` people in group rooms of `size` (consecutive users together), or in the mix above. */
export function planRooms(users: number, size: RoomSize): RoomPlan {
  const everyone = Array.from({ length: users }, (_, i) => i);
  const rooms: PlannedRoom[] = [];
  const groups = (order: number[], of: number) => {
    for (const members of evenGroups(order, of)) rooms.push({ kind: 'group', members: members.sort(byIndex) });
  };
  if (size !== 'mix') {
    groups(everyone, size);
  } else {
    groups(everyone, 100);
    for (let g = 0; g < MIX.groupsOf10; g++) groups(shuffled(users, 10 + g), 10);
    // Random pairs, round after round; a pair that already has its room is skipped (one 1:1 room per pair).
    const pairs = new Set<string>();
    for (let round = 0; round < MIX.direct; round++) {
      const order = shuffled(users, 1_000 + round);
      for (let i = 0; i + 1 < order.length; i += 2) {
        const members = [order[i]!, order[i + 1]!].sort(byIndex);
        if (pairs.has(String(members))) continue;
        pairs.add(String(members));
        rooms.push({ kind: 'direct', members });
      }
    }
  }
  const roomsOf = everyone.map((): number[] => []);
  rooms.forEach((room, r) => room.members.forEach((user) => roomsOf[user]!.push(r)));
  return { rooms, roomsOf };
}

/** What one send owes on average: a sender picks one of their rooms at random, every other member is owed it. */
export function meanDeliveriesPerSend(plan: RoomPlan): number {
  const perUser = plan.roomsOf.map((rooms) => rooms.reduce((sum, r) => sum + plan.rooms[r]!.members.length - 1, 0) / rooms.length);
  return perUser.reduce((a, b) => a + b, 0) / perUser.length;
}

/**
 * The plan's rooms dealt round-robin over `servers` servers that relay nothing between them: the server each user
 * connects to, or undefined when some user's rooms would land on two (the mix), so that no split exists.
 */
export function splitByRoom(plan: RoomPlan, servers: number): number[] | undefined {
  const homes = plan.roomsOf.map((rooms) => new Set(rooms.map((r) => r % servers)));
  return homes.every((home) => home.size === 1) ? homes.map((home) => [...home][0]!) : undefined;
}
