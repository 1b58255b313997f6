import type { AnySessionDescriptor } from '../descriptor'
import type { InvalidReason } from '../errors'
import type { Binding } from './binding'

/** Reported to `onInvalid` when an incoming session reads as absent; never carries the token. */
export interface InvalidSessionEvent {
  readonly session: string
  readonly reason: InvalidReason
}

/** What a request's sessions need from their engine. */
export interface EngineInternals {
  readonly bindings: readonly Binding[]
  binding(descriptor: AnySessionDescriptor): Binding
  nowSeconds(): number
  randomId(): string
  readonly onInvalid: ((event: InvalidSessionEvent) => void) | undefined
}
