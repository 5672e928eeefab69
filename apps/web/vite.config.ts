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
    // One bundle on purpose: lib/zod-csp.ts must run before any zod schema is built, and split chunks can be
    // evaluated before it (zod then probes eval, which the strict CSP reports). ~535 kB, ~163 kB gzipped.
    chunkSizeWarningLimit: 600,
  },
});
