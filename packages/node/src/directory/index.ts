export type { DirectoryStorage, DirectoryStorageOptions } from './directory-storage'
export { directoryStorage } from './directory-storage'
