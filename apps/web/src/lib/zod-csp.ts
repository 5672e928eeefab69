import { z } from 'zod';

/**
 * Zod compiles object parsers with `new Function` when it can, and probes for that ability at the first parse.
 * Our CSP (script-src 'self', no 'unsafe-eval') refuses it: the probe's failure is caught, but the browser still
 * reports a violation. Schemas read the setting when they are built, so this module must be imported before
 * anything that imports @youngchat/shared — it is the first import of main.tsx.
 */
z.config({ jitless: true });
