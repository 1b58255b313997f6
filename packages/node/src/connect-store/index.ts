export type { ConnectStore, ConnectStoreStorageOptions } from './connect-store-storage'
export { connectStoreStorage } from './connect-store-storage'
