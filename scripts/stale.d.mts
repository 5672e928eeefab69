/** Whether `output` is missing or older than the newest file among `inputs` (files or folders). */
export function isStale(output: string, inputs: string[]): boolean;
