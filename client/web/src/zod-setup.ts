import { config } from 'zod';

// The page's CSP forbids eval, so zod must not probe for it. Imported first by main.tsx, so it
// runs before any module builds a schema.
config({ jitless: true });
