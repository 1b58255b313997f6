import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [react()],
  // The manifest tells check-bundle.mjs which chunks the page loads up front.
  build: { manifest: true },
})
