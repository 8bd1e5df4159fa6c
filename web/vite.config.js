// Vite build of the web UI. The qiangji binary serves dist/ from "/" and the API under /api/v1
// on the same origin, so the dev server proxies /api to a locally running `qiangji serve`.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: process.env.QJ_API || 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
})
