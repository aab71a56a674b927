import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Served by the service at /app/. The service worker is its own entry with a fixed name, so it
// can be registered at /app/sw.js with the scope /app/.
export default defineConfig({
  base: '/app/',
  // The SDK is bundled from its sources, so the console never waits for the SDK's own build.
  resolve: {
    alias: [
      { find: /^@inbox-agents\/sdk\/service-worker$/, replacement: fileURLToPath(new URL('../sdk/src/service-worker.ts', import.meta.url)) },
      { find: /^@inbox-agents\/sdk$/, replacement: fileURLToPath(new URL('../sdk/src/index.ts', import.meta.url)) },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { index: 'index.html', sw: 'src/sw.ts' },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
});
