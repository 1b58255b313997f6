export { postgresTableSql } from './postgres-sql'
export type {
  PostgresPool,
  PostgresPoolClient,
  PostgresStorage,
  PostgresStorageOptions,
} from './postgres-storage'
export { postgresStorage } from './postgres-storage'
