import { AjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>
type ValidatorBuilder = CompilersFactory['buildValidator']
type SerializerBuilder = CompilersFactory['buildSerializer']
type Validate = ((data: unknown) => unknown) & { errors?: unknown }
type Serialize = (data: unknown) => string

/**
 * Fastify's own validators (ajv, with the site's options) and response serializers
 * (fast-json-stringify), each compiled when its route is first asked rather than when the app is
 * built: compiling every route's schemas took about a second of each start (`node --cpu-prof
 * build/main.js`, 2026-12-03: 1,053 ms in ajv of a 3.5 s restart) and of each test's app, and the
 * serializers 0.2 s more of each (fast-json-stringify's `build`, 1.5 s of 18.8 s over eight test apps,
 * `node --cpu-prof`, 2026-12-05). `compileAll` compiles those not yet compiled, so that a schema that
 * does not compile is found by the tests, not by a route's first visitor.
 */
export function lazyCompilers(): { buildValidator: ValidatorBuilder; buildSerializer: SerializerBuilder; compileAll: () => number } {
  const ajv = AjvCompiler()
  const serializers = SerializerSelector()
  const waiting = new Set<() => void>()
  /** A compiled function made on its first call (or by compileAll). */
  const later = <F>(compile: () => F): (() => F) => {
    let compiled: F | undefined
    const compileNow = () => {
      waiting.delete(compileNow)
      compiled ??= compile()
      return compiled
    }
    waiting.add(compileNow)
    return () => compiled ?? compileNow()
  }
  const buildValidator = ((externalSchemas: unknown, options: unknown) => {
    const compile = (ajv as (externals: unknown, options: unknown) => (route: unknown) => Validate)(externalSchemas, options)
    return (route: unknown) => {
      const own = later(() => compile(route))
      const validate: Validate = (data) => {
        const compiled = own()
        const result = compiled(data)
        // Fastify reads a failed validation's errors from the function it was given.
        validate.errors = compiled.errors
        return result
      }
      return validate
    }
  }) as unknown as ValidatorBuilder
  const buildSerializer = ((externalSchemas: unknown, options: unknown) => {
    const compile = (serializers as (externals: unknown, options: unknown) => (route: unknown) => Serialize)(externalSchemas, options)
    return (route: unknown) => {
      const own = later(() => compile(route))
      return (data: unknown) => own()(data)
    }
  }) as unknown as SerializerBuilder
  return {
    buildValidator,
    buildSerializer,
    compileAll: () => {
      const count = waiting.size
      for (const compileNow of [...waiting]) compileNow()
      return count
    },
  }
}
