import { memoryStorage } from '@tessera/core'
import { describeStorageContract } from './contract'
import { describeLifecycle } from './lifecycle'

// core's in-memory storage, held to the same contract and lifecycle as the server storages.
describeStorageContract('memoryStorage', () => memoryStorage())
describeLifecycle('memoryStorage', () => ({ storage: memoryStorage() }))
