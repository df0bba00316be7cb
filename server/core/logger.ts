import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs on stdout (stderr for the CLI, whose stdout is its output). Secrets never reach a log line: tokens, secrets and key material are
 * redacted wherever they appear in a logged object.
 */
export function createLogger(level: string, destination: 1 | 2 = 1): Logger {
  return pino(
    {
      level,
      base: { service: 'tandem' },
      redact: {
        paths: [
          'req.headers.authorization',
          '*.token',
          '*.secret',
          '*.clientSecret',
          '*.password',
          '*.privateJwk',
          '*.masterKey',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(destination),
  );
}
