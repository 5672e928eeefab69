import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dev server forwards everything the API owns, so the SPA talks to one origin in dev just as it does in
// production (where the API process serves dist/ itself).
const apiTarget = `http://127.0.0.1:${process.env.API_PORT ?? 3000}`;

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/trpc': { target: apiTarget, ws: true },
      '/healthz': apiTarget,
      '/files': apiTarget,
      '/dev': apiTarget,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // lib/zod-csp.ts must run before any zod schema is built, and a chunk that main.tsx imports is evaluated before
    // main.tsx's own first import. So it travels with zod itself: whatever builds a schema imports that chunk first.
    rolldownOptions: {
      output: {
        advancedChunks: { groups: [{ name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]|[\\/]lib[\\/]zod-csp\.ts$/ }] },
      },
    },
  },
});
