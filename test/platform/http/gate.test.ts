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
  const gate = new Gate({ running: 5, waiting: 5, perAddress: 2, perAddressWaiting: 0, retryAfterSeconds: 3 })
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

test('a client that opens more connections than its share waits in its own line, and a freed place goes to each line in turn', async () => {
  const gate = new Gate({ running: 2, waiting: 20, perAddress: 2, perAddressWaiting: 4, retryAfterSeconds: 5 })
  const order: string[] = []
  const holds = new Map<string, ReturnType<typeof deferred>>()
  const work = (address: string, name: string) => {
    const hold = deferred()
    holds.set(name, hold)
    return gate.run(address, async () => {
      order.push(name)
      await hold.done
      return name
    })
  }
  const greedy = ['g1', 'g2', 'g3', 'g4', 'g5', 'g6'].map((name) => work('greedy', name))
  // One more than its share and its line: refused, and only that one.
  await assert.rejects(gate.run('greedy', async () => 'never'), (error) => error instanceof TooManyRequests)
  const polite = work('polite', 'p1')
  await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(order, ['g1', 'g2'])
  assert.deepEqual(gate.load, { running: 2, waiting: 5 })
  holds.get('g1')!.release()
  await new Promise((resolve) => setImmediate(resolve))
  holds.get('g2')!.release()
  await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(order, ['g1', 'g2', 'g3', 'p1'], 'the address that asked once is served next, not after the greedy one\'s line')
  for (const name of ['g3', 'p1', 'g4', 'g5', 'g6']) {
    holds.get(name)!.release()
    await new Promise((resolve) => setImmediate(resolve))
  }
  assert.deepEqual((await Promise.all([...greedy, polite])).sort(), ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'p1'])
  assert.deepEqual(gate.load, { running: 0, waiting: 0 })
})
