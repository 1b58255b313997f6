import { isPromiseLike } from './awaitable'

/**
 * The Standard Schema interface (https://standardschema.dev), written out here so that tessera accepts
 * zod, valibot, arktype and any other conforming validator without depending on one.
 */
export interface StandardSchemaV1<TInput = unknown, TOutput = TInput> {
  readonly '~standard': StandardSchemaV1.Props<TInput, TOutput>
}

export declare namespace StandardSchemaV1 {
  interface Props<TInput = unknown, TOutput = TInput> {
    readonly version: 1
    readonly vendor: string
    readonly validate: (value: unknown) => Result<TOutput> | Promise<Result<TOutput>>
    readonly types?: Types<TInput, TOutput> | undefined
  }
  type Result<TOutput> = SuccessResult<TOutput> | FailureResult
  interface SuccessResult<TOutput> {
    readonly value: TOutput
    readonly issues?: undefined
  }
  interface FailureResult {
    readonly issues: ReadonlyArray<Issue>
  }
  interface Issue {
    readonly message: string
    readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined
  }
  interface Types<TInput = unknown, TOutput = TInput> {
    readonly input: TInput
    readonly output: TOutput
  }
  type InferOutput<TSchema extends StandardSchemaV1> = NonNullable<TSchema['~standard']['types']>['output']
}

/** Outcome of running a schema: the (possibly transformed) value, or the list of issue messages. */
export type SchemaOutcome<T> = { ok: true; value: T } | { ok: false; issues: string[] }

/**
 * Runs a Standard Schema validator; sync validators stay sync (no promise on the hot path).
 */
export function validateWith<T>(
  schema: StandardSchemaV1<unknown, T>,
  value: unknown,
): SchemaOutcome<T> | Promise<SchemaOutcome<T>> {
  const result = schema['~standard'].validate(value)
  // Any thenable, not only this realm's Promise: reading `issues` off a pending promise would pass it.
  return isPromiseLike(result) ? Promise.resolve(result).then(toOutcome) : toOutcome(result)
}

function toOutcome<T>(result: StandardSchemaV1.Result<T>): SchemaOutcome<T> {
  if (result.issues) return { ok: false, issues: result.issues.map((issue) => issue.message) }
  return { ok: true, value: result.value }
}
