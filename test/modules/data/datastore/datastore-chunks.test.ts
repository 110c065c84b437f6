import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parse } from 'csv-parse/sync'
import { csvChunks, numberRows } from '../../../../src/modules/data/datastore/chunks.ts'
import { LoadError } from '../../../../src/modules/data/datastore/detect.ts'

// A deterministic generator, so a failure can be replayed.
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff
    return state / 0x7fffffff
  }
}

function randomCsv(next: () => number, rows: number, eol: string): string {
  const values = ['Астана', 'a,b', 'say "hi"', 'line\nbreak', '', '42', 'x\r\ny', '""', 'end"']
  const lines = ['a,b,c']
  for (let r = 0; r < rows; r += 1) {
    lines.push(Array.from({ length: 3 }, () => {
      const value = values[Math.floor(next() * values.length)]!
      return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
    }).join(','))
  }
  return `${lines.join(eol)}${next() < 0.5 ? eol : ''}`
}

function* pieces(bytes: Buffer, next: () => number): Generator<Buffer> {
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(next() * 40)
    yield bytes.subarray(at, at + size)
    at += size
  }
}

/** A chunk of the given rows, arriving in two buffers. */
function chunkOf(text: string, rows: number) {
  const bytes = Buffer.from(text)
  return { parts: [bytes.subarray(0, 5), bytes.subarray(5)], bytes: bytes.length, rows }
}

async function collect(source: Iterable<Buffer>, chunkBytes: number, maxRowBytes = 1 << 20) {
  const chunks = []
  for await (const chunk of csvChunks((async function* () { yield* source })(), chunkBytes, maxRowBytes)) chunks.push(chunk)
  return chunks
}

test('chunks end where rows end, whatever the pieces the file arrives in: quotes, newlines and CRLF inside values', async () => {
  for (let seed = 1; seed <= 60; seed += 1) {
    const next = random(seed)
    const eol = next() < 0.5 ? '\n' : '\r\n'
    const csv = randomCsv(next, 1 + Math.floor(next() * 60), eol)
    const bytes = Buffer.from(csv)
    const chunks = await collect(pieces(bytes, next), 1 + Math.floor(next() * 200))
    const whole = parse(csv, { from_line: 2, relax_column_count: true, record_delimiter: eol }) as string[][]
    // Every chunk parses on its own into whole rows, and together they are the file without its header.
    const fromChunks = chunks.flatMap((chunk) => parse(Buffer.concat(chunk.parts), { relax_column_count: true, record_delimiter: eol }) as string[][])
    assert.deepEqual(fromChunks, whole, `seed ${seed}`)
    let before = 1
    for (const chunk of chunks) {
      assert.equal(chunk.bytes, chunk.parts.reduce((sum, part) => sum + part.length, 0), `seed ${seed}: a chunk's size`)
      assert.equal(chunk.rowsBefore, before, `seed ${seed}: rows before a chunk`)
      before += chunk.rows
    }
    // Numbered, the rows are the same rows with 1, 2, 3… in front, counted on across chunks.
    let nextId = 1
    const numbered: string[][] = []
    for (const chunk of chunks) {
      const { data, rows } = await numberRows(chunk, nextId, ',')
      assert.equal(rows, chunk.rows, `seed ${seed}: rows numbered in a chunk`)
      nextId += rows
      numbered.push(...parse(data, { relax_column_count: true, record_delimiter: eol }) as string[][])
    }
    assert.deepEqual(numbered, whole.map((row, i) => [String(i + 1), ...row]), `seed ${seed}: numbered rows`)
  }
})

test('row numbers go before each row with the file\'s delimiter, also past a chunk without a final newline', async () => {
  const { data, rows } = await numberRows(chunkOf('a;"x\ny";1\n\nb;"";2', 3), 999_999, ';')
  assert.equal(rows, 3)
  assert.equal(data.toString(), '999999;a;"x\ny";1\n1000000;\n1000001;b;"";2')
  // Numbers go where the rows were: a chunk with more rows than it says is refused, not overwritten.
  await assert.rejects(numberRows(chunkOf('1\n'.repeat(100), 1), 1, ','), /more rows in a chunk of 1/)
})

test('a row longer than the limit is refused with its number, also when the length is inside quotes', async () => {
  const long = 'x'.repeat(100)
  await assert.rejects(collect([Buffer.from(`a,b\n1,2\n3,${long}\n`)], 1000, 50), (error: unknown) => error instanceof LoadError && error.key === 'data.datastore.errors.rowTooLong' && error.values.row === 3)
  await assert.rejects(collect(pieces(Buffer.from(`a,b\n1,"${long}\n${long}"\n`), random(7)), 1000, 150), (error: unknown) => error instanceof LoadError && error.values.row === 2)
  const fine = await collect([Buffer.from(`a,b\n1,"${'y'.repeat(40)}"\n`)], 1000, 50)
  assert.equal(fine.length, 1)
})
