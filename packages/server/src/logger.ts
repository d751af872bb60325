// JSON logs without personal data: session ids (bearer capabilities) are shortened, keys and bodies never logged.
import pino, { type Logger } from 'pino';

const SESSION_ID = /\b([0-9A-Za-z]{4})[0-9A-Za-z]{20}\b/g;

/** Keeps four characters of any 24-character id so log lines can still be correlated by an operator. */
export const redactIds = (text: string): string => text.replace(SESSION_ID, '$1…');

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'tessera' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.key', 'key'], censor: '[redacted]' },
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({ method: req.method, url: redactIds(req.url ?? '') }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}
