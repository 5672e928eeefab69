import DataLoader from 'dataloader';
import type { Db } from '../../ports/database.ts';
import { pagesOf, type PageAddress, type PageRow } from './messages.repository.ts';
import { createBatchSlots } from './messages.slots.ts';

export interface PageReaderOptions {
  db: Db;
  /** Batches being read at once; pages asked for meanwhile gather into the next. */
  inFlight: number;
  maxBatch: number;
}

interface PageRequest extends PageAddress {
  limit: number;
}

/** The distinct pages of a batch that share a limit (the statement's text carries it), and where each request's is. */
interface LimitGroup {
  addresses: PageAddress[];
  byKey: Map<string, number>;
}

/**
 * History pages read in batches. Each statement costs a round trip and the wake-up of a database backend whatever it
 * reads, and on these machines that wake-up cost the API over a quarter of a page's CPU (decision 0007); so pages
 * asked for while `inFlight` batches are being read go together in the next statement, and a page asked for twice in
 * one batch (a busy room's newest, opened by many at once) is read once. Every page of a batch is read after each of
 * its requests arrived. When idle, a page waits only for the event loop's current turn to end.
 */
export function createPageReader({ db, inFlight, maxBatch }: PageReaderOptions) {
  const slots = createBatchSlots(inFlight);

  async function read(requests: readonly PageRequest[]): Promise<PageRow[][]> {
    const groups = new Map<number, LimitGroup>();
    const places = requests.map(({ roomId, before, limit }) => {
      let group = groups.get(limit);
      if (!group) groups.set(limit, (group = { addresses: [], byKey: new Map() }));
      const key = `${roomId}:${before}`;
      let index = group.byKey.get(key);
      if (index === undefined) {
        index = group.addresses.push({ roomId, before }) - 1;
        group.byKey.set(key, index);
      }
      return { group, index };
    });
    const pages = new Map(await Promise.all([...groups].map(async ([limit, group]) => [group, await pagesOf(db, group.addresses, limit)] as const)));
    return places.map(({ group, index }) => pages.get(group)![index]!);
  }

  const loader = new DataLoader<PageRequest, PageRow[]>((requests) => slots.hold(() => read(requests)), {
    cache: false,
    maxBatchSize: maxBatch,
    // The requests parsed in this turn of the event loop gather first; then the batch waits for a free slot.
    batchScheduleFn: (dispatch) => setImmediate(() => slots.whenFree(dispatch)),
  });

  return {
    /** Up to `limit` messages of the room below `before` (null: from the newest), newest first. */
    page: (address: PageAddress, limit: number): Promise<PageRow[]> => loader.load({ ...address, limit }),
  };
}

export type PageReader = ReturnType<typeof createPageReader>;
