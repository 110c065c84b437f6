// The thread runIsolated starts: imports the module it was given, calls the function it names with
// the input, and sends back the answer or the error's message.
import { parentPort, workerData } from 'node:worker_threads'

const { module, exported, input } = workerData as { module: string; exported: string; input: unknown }
try {
  const loaded = (await import(module)) as Record<string, (input: unknown) => unknown>
  const fn = loaded[exported]
  if (typeof fn !== 'function') throw new Error(`${module} exports no function ${exported}`)
  parentPort!.postMessage({ ok: true, value: await fn(input) })
} catch (error) {
  parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) })
}
