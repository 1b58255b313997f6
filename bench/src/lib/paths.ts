import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The `bench/` folder. */
export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** The repository root. */
export const REPO_ROOT = join(BENCH_DIR, '..')
