/** Whether `output` is missing or older than the newest file among `inputs` (files or folders). */
export function isStale(output: string, inputs: string[]): boolean;
/** Whether the SPA's build is missing or older than its sources (shared included: the SPA bundles it). */
export function webBuildIsStale(): boolean;
