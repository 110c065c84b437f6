import { AjvCompiler } from '@fastify/ajv-compiler'
import type { FastifyServerOptions } from 'fastify'

type ValidatorBuilder = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']
type Validate = ((data: unknown) => unknown) & { errors?: unknown }

/**
 * Fastify's own validators (ajv, with the site's options), each compiled when its route is first
 * asked rather than when the app is built: compiling every route's schemas took about a second of
 * each start (`node --cpu-prof build/main.js`, 2026-12-03: 1,053 ms in ajv of a 3.5 s restart) and of
 * each test's app. `compileAll` compiles those not yet compiled, so that a schema that does not
 * compile is found by the tests, not by a route's first visitor.
 */
export function lazyValidators(): { buildValidator: ValidatorBuilder; compileAll: () => number } {
  const ajv = AjvCompiler()
  const waiting = new Set<() => void>()
  const buildValidator = ((externalSchemas: unknown, options: unknown) => {
    const compile = (ajv as (externals: unknown, options: unknown) => (route: unknown) => Validate)(externalSchemas, options)
    return (route: unknown) => {
      let compiled: Validate | undefined
      const compileNow = () => {
        waiting.delete(compileNow)
        compiled ??= compile(route)
        return compiled
      }
      waiting.add(compileNow)
      const validate: Validate = (data) => {
        const own = compiled ?? compileNow()
        const result = own(data)
        // Fastify reads a failed validation's errors from the function it was given.
        validate.errors = own.errors
        return result
      }
      return validate
    }
  }) as unknown as ValidatorBuilder
  return {
    buildValidator,
    compileAll: () => {
      const count = waiting.size
      for (const compileNow of [...waiting]) compileNow()
      return count
    },
  }
}
