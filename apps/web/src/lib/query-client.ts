import { QueryClient } from '@tanstack/react-query';

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Live data arrives over the subscription; refetching on every focus would only add load.
        staleTime: 30_000,
        retry: 2,
      },
    },
  });
}
