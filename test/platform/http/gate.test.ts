import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Busy, Gate, TooManyRequests } from '../../../src/platform/http/index.ts'

function deferred() {
  let release!: () => void
  const done = new Promise<void>((resolve) => { release = resolve })
  return { done, release }
}

test('a gate runs so many at once, queues so many, and refuses the rest with 503 and a time to come back', async () => {
  const gate = new Gate({ running: 2, waiting: 1, perAddress: 10, retryAfterSeconds: 7 })
  const order: string[] = []
  const holds = [deferred(), deferred(), deferred()]
  const work = (name: string, hold: Promise<void>) => gate.run(`10.0.0.${name}`, async () => {
    order.push(`start ${name}`)
    await hold
    order.push(`end ${name}`)
    return name
  })
  const first = work('1', holds[0]!.done)
  const second = work('2', holds[1]!.done)
  const third = work('3', holds[2]!.done)
  await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(gate.load, { running: 2, waiting: 1 })
  assert.deepEqual(order, ['start 1', 'start 2'])
  await assert.rejects(gate.run('10.0.0.4', async () => 'never'), (error) => error instanceof Busy && error.retryAfterSeconds === 7 && error.status === 503)

  holds[0]!.release()
  assert.equal(await first, '1')
  await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(order, ['start 1', 'start 2', 'end 1', 'start 3'], 'the waiting one takes the freed place')
  holds[1]!.release()
  holds[2]!.release()
  assert.deepEqual(await Promise.all([second, third]), ['2', '3'])
  assert.deepEqual(gate.load, { running: 0, waiting: 0 })
})

test('one address holds at most its share; a failure gives its place back', async () => {
  const gate = new Gate({ running: 5, waiting: 5, perAddress: 2, retryAfterSeconds: 3 })
  const hold = deferred()
  const mine = [gate.run('a', () => hold.done), gate.run('a', () => hold.done)]
  await assert.rejects(gate.run('a', async () => undefined), (error) => error instanceof TooManyRequests && error.status === 429)
  assert.equal(await gate.run('b', async () => 'other address'), 'other address')
  hold.release()
  await Promise.all(mine)
  await assert.rejects(gate.run('a', async () => { throw new Error('query failed') }), /query failed/)
  assert.deepEqual(gate.load, { running: 0, waiting: 0 })
  assert.equal(await gate.run('a', async () => 'again'), 'again')
})

test('admit takes a place at once or refuses; its release gives it back once however often called', () => {
  const gate = new Gate({ running: 2, waiting: 0, perAddress: 1, retryAfterSeconds: 30 })
  const first = gate.admit('user:1')
  assert.throws(() => gate.admit('user:1'), (error) => error instanceof TooManyRequests)
  const second = gate.admit('user:2')
  assert.throws(() => gate.admit('user:3'), (error) => error instanceof Busy)
  first()
  first()
  assert.deepEqual(gate.load, { running: 1, waiting: 0 })
  gate.admit('user:1')
  second()
  assert.deepEqual(gate.load, { running: 1, waiting: 0 })
})
