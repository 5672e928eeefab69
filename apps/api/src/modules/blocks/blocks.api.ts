/** What other modules may use of blocks: these, and nothing else of this folder. */
export { blockersAmong } from './blocks.repository.ts';
