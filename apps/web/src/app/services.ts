import { AuthSession } from '../features/auth/auth.session.ts';
import { AuthStore } from '../features/auth/auth.store.ts';
import { makeQueryClient } from '../lib/query-client.ts';
import { createApi } from '../lib/trpc.ts';

export type Services = ReturnType<typeof createServices>;

/**
 * The composition root: everything that lives as long as the page, made once in main.tsx and handed to <App>.
 * What belongs to one signed-in person (the live chat) is made below it, by ChatProvider, per sign-in.
 */
export function createServices() {
  const queryClient = makeQueryClient();
  const store = new AuthStore();
  const api = createApi({
    queryClient,
    // The links renew through the session, which itself calls through these links (auth.refresh is skipped there).
    auth: { accessToken: () => store.accessToken(), renew: async () => (await session.refresh()) === 'renewed' },
  });
  const session = new AuthSession({ store, api, queryClient });
  return { queryClient, api, session };
}
