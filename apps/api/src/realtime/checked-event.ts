import { EVENT_VERSION, durableEventSchema } from '@youngchat/shared';

/** What a reader gets in place of an event it could not read right: refetch, then carry on. */
export const RESYNC_JSON = '{"type":"resync"}';

/**
 * A stored or relayed durable event as readers may see it: its own JSON when it is of this version and has the shape
 * of its type, otherwise `resync` at its position, and why. Events written before a shape change, or relayed by an
 * instance running other code during a rolling deploy, so never reach a client as something it would misread.
 */
export function checkedEventJson(json: string, version: number): { json: string; problem?: string } {
  if (version !== EVENT_VERSION) return { json: RESYNC_JSON, problem: `event version ${version}, this server reads ${EVENT_VERSION}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { json: RESYNC_JSON, problem: 'event is not JSON' };
  }
  const result = durableEventSchema.safeParse(parsed);
  if (!result.success) return { json: RESYNC_JSON, problem: `event does not match its schema: ${result.error.issues[0]?.message ?? ''}` };
  return { json };
}
