import { describe } from 'vitest'
import { webCrypto } from '../src'
import { dataVectorSuite } from './helpers/data-vectors'

describe('v1 data token vectors with webCrypto', () => dataVectorSuite(webCrypto))
