import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'http/index': 'src/http/index.ts',
    'express/index': 'src/express/index.ts',
    'fastify/index': 'src/fastify/index.ts',
    'fetch/index': 'src/fetch/index.ts',
    'redis/index': 'src/redis/index.ts',
    'postgres/index': 'src/postgres/index.ts',
    'directory/index': 'src/directory/index.ts',
    'connect-store/index': 'src/connect-store/index.ts',
    'react-router/index': 'src/react-router/index.ts',
  },
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: true,
  external: [
    /^@tessera\//,
    'express',
    'express-session',
    'fastify',
    'ioredis',
    'pg',
    'redis',
    'superjson',
    /^next(\/|$)/,
    'react-router',
  ],
})
