// Dev server on 5173 proxying the API and sockets to nginx; `vite build` writes dist/, which nginx serves.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const backend =
  process.env.TB_BACKEND_URL ?? `http://127.0.0.1:${process.env.TB_NGINX_PORT ?? '8080'}`;

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      '@tallyboard/shared': fileURLToPath(new URL('../shared/src/index.ts', import.meta.url)),
    },
  },
  server: {
    port: Number(process.env.TB_CLIENT_PORT ?? 5173),
    host: process.env.TB_CLIENT_HOST ?? '127.0.0.1',
    strictPort: true,
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/socket.io': { target: backend, ws: true, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
    rolldownOptions: {
      // `shared/` has no side effects a page needs (zod's CSP setting matters only where schemas
      // are built): a module none of whose exports is used is left out, so zod loads with the
      // console's forms, not with every page.
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]shared[\\/]src[\\/]/.test(id) },
      output: {
        // Named chunks for the libraries every page shares, so they stay cached across releases;
        // the socket one is fetched only by the pages that go live (ballot, board, console).
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/,
            },
            {
              name: 'socket',
              test: /node_modules[\\/](socket\.io-client|socket\.io-parser|engine\.io-client|engine\.io-parser|@socket\.io)[\\/]/,
            },
          ],
        },
      },
    },
  },
});
