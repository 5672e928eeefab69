/** What other TypeScript apps import: `import type { AppRouter } from '@youngchat/api'`. */
export type { AppRouter } from './trpc/app-router.ts';
