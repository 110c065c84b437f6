// Read on a thread of its own (docx.ts runs it through runIsolated): what a hostile Word file costs
// in time and memory is bounded there, away from the server's requests.
import mammoth from 'mammoth'
import { Parser } from 'htmlparser2'
import yauzl from 'yauzl'

/** What reading a Word file came to: its text as lines, or why there is none. */
export type DocxReading = { text: string } | { problem: 'unreadable' | 'tooLarge' | 'empty' }

class TooLarge extends Error {}

/**
 * Inflates every part of the ZIP and counts the bytes it actually gives, not what its directory
 * claims (a bomb claims a thousand bytes and gives gigabytes): stops at the first byte past the limit.
 */
async function checkUnpackedBytes(path: string, limit: number): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    // Sizes are not taken on trust: the count below is what decides.
    yauzl.open(path, { lazyEntries: true, validateEntrySizes: false }, (error, file) => (error || !file ? reject(error ?? new Error('no zip')) : resolve(file)))
  })
  let total = 0
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject)
      zip.on('end', resolve)
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (error, stream) => {
          if (error || !stream) return reject(error ?? new Error('no stream'))
          stream.on('data', (chunk: Buffer) => {
            total += chunk.length
            if (total > limit) {
              stream.destroy()
              reject(new TooLarge())
            }
          })
          stream.on('error', reject)
          stream.on('end', () => zip.readEntry())
        })
      })
      zip.readEntry()
    })
  } finally {
    zip.close()
  }
}

/** A Word file's text (see docxToText), or the problem that stopped it. */
export async function readDocx({ path, maxUnpackedBytes }: { path: string; maxUnpackedBytes: number }): Promise<DocxReading> {
  try {
    await checkUnpackedBytes(path, maxUnpackedBytes)
  } catch (error) {
    return { problem: error instanceof TooLarge ? 'tooLarge' : 'unreadable' }
  }
  let html: string
  try {
    html = (await mammoth.convertToHtml({ path })).value
  } catch {
    return { problem: 'unreadable' }
  }
  const text = htmlToLines(html)
  return text.trim() ? { text } : { problem: 'empty' }
}

const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'tr'])

/** mammoth's HTML as lines: see docxToText. */
export function htmlToLines(html: string): string {
  const lines: string[] = []
  const lists: Array<{ ordered: boolean; count: number }> = []
  let paragraphs = 0
  let line = ''
  let prefix = ''
  let cells = 0
  let tables = 0
  const flush = () => {
    const text = line.replace(/\s+/g, ' ').trim()
    if (text) lines.push(`${prefix}${text}`)
    line = ''
    prefix = ''
  }
  const parser = new Parser({
    onopentag(name) {
      if (name === 'ol' || name === 'ul') {
        flush()
        lists.push({ ordered: name === 'ol', count: 0 })
      } else if (name === 'li') {
        flush()
        const list = lists.at(-1)
        if (list?.ordered) {
          list.count += 1
          prefix = lists.length === 1 ? `${(paragraphs += 1)}. ` : `${list.count}) `
        } else if (list) prefix = '– '
      } else if (name === 'table') {
        flush()
        tables += 1
      } else if (name === 'tr') cells = 0
      else if ((name === 'td' || name === 'th') && (cells += 1) > 1) line += ' | '
      else if (name === 'br') line += ' '
    },
    ontext(text) {
      line += text
    },
    onclosetag(name) {
      if (name === 'ol' || name === 'ul') {
        flush()
        lists.pop()
      } else if (name === 'table') tables -= 1
      else if (name === 'p' && tables > 0) line += ' '
      else if (BLOCKS.has(name)) flush()
    },
  }, { decodeEntities: true })
  parser.write(html)
  parser.end()
  flush()
  return lines.join('\n')
}
