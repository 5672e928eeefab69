import { pino, type DestinationStream, type Logger } from 'pino';
import { currentTraceId } from './trace.ts';

export type { Logger };

/** JSON logs; every line written inside a request or socket message carries its traceId. */
export function createLogger(options: {
  level: string;
  instanceId: string;
  destination?: DestinationStream;
}): Logger {
  return pino(
    {
      level: options.level,
      base: { instance: options.instanceId },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => {
        const traceId = currentTraceId();
        return traceId ? { traceId } : {};
      },
      // Defence in depth: these never belong in a log even if someone logs a whole object.
      redact: {
        paths: [
          'password',
          '*.password',
          'accessToken',
          '*.accessToken',
          'refreshToken',
          '*.refreshToken',
          'code',
          '*.code',
          'authorization',
          '*.authorization',
          'headers.authorization',
          'headers.cookie',
          'req.headers.authorization',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    options.destination,
  );
}
