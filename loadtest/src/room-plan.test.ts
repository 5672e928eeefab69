import { describe, expect, it } from 'vitest';
import { meanDeliveriesPerSend, planRooms, splitByRoom } from './room-plan.ts';

describe('planRooms', () => {
  it('puts consecutive users in group rooms of the size asked, evenly, never a room of one', () => {
    expect(planRooms(1000, 10).rooms.map((r) => r.members.length)).toEqual(Array(100).fill(10));
    const uneven = planRooms(21, 10);
    expect(uneven.rooms.map((r) => r.members)).toEqual([
      [0, 1, 2, 3, 4, 5, 6],
      [7, 8, 9, 10, 11, 12, 13],
      [14, 15, 16, 17, 18, 19, 20],
    ]);
    expect(uneven.roomsOf[8]).toEqual([1]);
  });

  it('makes one group of 100 for 100 users', () => {
    const plan = planRooms(100, 100);
    expect(plan.rooms).toEqual([{ kind: 'group', members: Array.from({ length: 100 }, (_, i) => i) }]);
    expect(meanDeliveriesPerSend(plan)).toBe(99);
  });

  it('gives each user of the mix three 1:1 rooms, two groups of 10 and one of 100, the same every time', () => {
    const plan = planRooms(1000, 'mix');
    for (const [user, rooms] of plan.roomsOf.entries()) {
      const sizes = rooms.map((r) => plan.rooms[r]!.members.length).sort((a, b) => a - b);
      expect(sizes.filter((s) => s === 2).length).toBeGreaterThanOrEqual(2); // a repeated pair is skipped
      expect(sizes.filter((s) => s === 10)).toEqual([10, 10]);
      expect(sizes.at(-1)).toBe(100);
      for (const r of rooms) expect(plan.rooms[r]!.members).toContain(user);
    }
    const pairs = plan.rooms.filter((r) => r.kind === 'direct').map((r) => String(r.members));
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(planRooms(1000, 'mix')).toEqual(plan);
    expect(meanDeliveriesPerSend(plan)).toBeCloseTo(20, 0);
  });

  it('still plans a mix for a handful of users', () => {
    const plan = planRooms(3, 'mix');
    expect(plan.roomsOf.every((rooms) => rooms.length >= 3)).toBe(true);
    expect(plan.rooms.every((r) => r.members.length >= 2)).toBe(true);
  });
});

describe('splitByRoom', () => {
  it('sends each user to the server of its room, the rooms dealt round-robin', () => {
    const plan = planRooms(40, 10);
    const home = splitByRoom(plan, 2)!;
    expect(home.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(home.slice(10, 20)).toEqual(Array(10).fill(1));
    expect(home.slice(30)).toEqual(Array(10).fill(1));
  });

  it('has no split when a user is in rooms on two servers', () => {
    expect(splitByRoom(planRooms(200, 'mix'), 2)).toBeUndefined();
  });
});
