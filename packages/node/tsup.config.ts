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
    'migrate/index': 'src/migrate/index.ts',
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
    'iron-session',
    'pg',
    'redis',
    'superjson',
  ],
})
