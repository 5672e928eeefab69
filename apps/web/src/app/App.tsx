import { QueryClientProvider } from '@tanstack/react-query';
import { queryClient } from '../lib/query-client.ts';
import { TRPCProvider, trpcClient } from '../lib/trpc.ts';
import { SystemPage } from '../features/system/system.page.tsx';

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <SystemPage />
      </TRPCProvider>
    </QueryClientProvider>
  );
}
