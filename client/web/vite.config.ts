import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const server = process.env.TANDEM_URL ?? 'http://localhost:4100';

/** The web app: built into dist/web, which the Tandem server serves at `/`. */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  // `npx vite --config client/web/vite.config.ts` for development against a running server.
  server: {
    proxy: {
      '/trpc': server,
      '/api': server,
      '/companies': server,
      '/sync': { target: server.replace(/^http/, 'ws'), ws: true },
    },
  },
});
