// Read on a thread of its own (docx.ts runs it through runIsolated): what a hostile Word file costs
// in time and memory is bounded there, away from the server's requests.
import { readFile } from 'node:fs/promises'
import JSZip from 'jszip'
import mammoth from 'mammoth'
import { Parser } from 'htmlparser2'
import yauzl from 'yauzl'
import { tableRowLine } from './text.ts'

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
    html = (await mammoth.convertToHtml({ buffer: await withSubparagraphsNested(await readFile(path)) })).value
  } catch {
    return { problem: 'unreadable' }
  }
  const text = htmlToLines(html)
  return text.trim() ? { text } : { problem: 'empty' }
}

/**
 * Word files often number subparagraphs "1)", "2)" with a list of their own beside the paragraphs'
 * "1.", "2." list, both at the list's first level: read as they are, each subparagraph would become
 * a paragraph of its own, shifting every later number and comment anchor. A list whose first level
 * is written with a closing bracket is a list of subparagraphs: its items are moved one level down
 * (and the level is defined where the list has none), so that they nest in the paragraph before.
 */
export async function withSubparagraphsNested(docx: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx)
  const numberingFile = zip.file('word/numbering.xml')
  const documentFile = zip.file('word/document.xml')
  if (!numberingFile || !documentFile) return docx
  let numbering = await numberingFile.async('string')
  // Which abstract lists write their first level "…)", and which lists (numId) use them.
  const bracketed = new Set<string>()
  for (const [whole, id] of numbering.matchAll(/<w:abstractNum\b[^>]*w:abstractNumId="(\d+)"[^>]*>([\s\S]*?)<\/w:abstractNum>/g)) {
    const first = /<w:lvl\b[^>]*w:ilvl="0"[^>]*>[\s\S]*?<\/w:lvl>/.exec(whole)?.[0] ?? ''
    if (/<w:lvlText\b[^>]*w:val="[^"]*\)"/.test(first)) bracketed.add(id!)
  }
  if (bracketed.size === 0) return docx
  const lists = new Set<string>()
  for (const [, numId, abstractId] of numbering.matchAll(/<w:num\b[^>]*w:numId="(\d+)"[^>]*>[\s\S]*?<w:abstractNumId\b[^>]*w:val="(\d+)"[\s\S]*?<\/w:num>/g)) {
    if (bracketed.has(abstractId!)) lists.add(numId!)
  }
  // Each such list gets a second level like its first, where it has none.
  numbering = numbering.replace(/<w:abstractNum\b[^>]*w:abstractNumId="(\d+)"[^>]*>[\s\S]*?<\/w:abstractNum>/g, (whole, id: string) => {
    if (!bracketed.has(id) || /<w:lvl\b[^>]*w:ilvl="1"/.test(whole)) return whole
    const first = /<w:lvl\b[^>]*w:ilvl="0"[^>]*>[\s\S]*?<\/w:lvl>/.exec(whole)?.[0] ?? ''
    return whole.replace(first, `${first}${first.replace(/w:ilvl="0"/, 'w:ilvl="1"')}`)
  })
  let moved = 0
  const document = (await documentFile.async('string')).replace(/<w:numPr>([\s\S]*?)<\/w:numPr>/g, (whole, inner: string) => {
    const numId = /<w:numId\b[^>]*w:val="(\d+)"/.exec(inner)?.[1]
    const level = /<w:ilvl\b[^>]*w:val="(\d+)"/.exec(inner)?.[1] ?? '0'
    if (!numId || !lists.has(numId) || level !== '0') return whole
    moved += 1
    return `<w:numPr><w:ilvl w:val="1"/><w:numId w:val="${numId}"/></w:numPr>`
  })
  if (moved === 0) return docx
  zip.file('word/numbering.xml', numbering)
  zip.file('word/document.xml', document)
  return zip.generateAsync({ type: 'nodebuffer' })
}

const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li'])

/** mammoth's HTML as lines: see docxToText. A table's rows are lines "| cell | cell |" (text.ts). */
export function htmlToLines(html: string): string {
  const lines: string[] = []
  const lists: Array<{ ordered: boolean; count: number }> = []
  let paragraphs = 0
  let line = ''
  let prefix = ''
  // The table being read: its rows, the row and the cell being read. A table inside a cell is read
  // as text of that cell.
  let depth = 0
  let rows: string[][] = []
  let row: string[] | null = null
  let cell = ''
  const flush = () => {
    const text = line.replace(/\s+/g, ' ').trim()
    if (text) lines.push(`${prefix}${text}`)
    line = ''
    prefix = ''
  }
  const parser = new Parser({
    onopentag(name) {
      if (depth > 0) {
        if (name === 'table') depth += 1
        else if (depth === 1 && name === 'tr') row = []
        else if (depth === 1 && (name === 'td' || name === 'th')) cell = ''
        else if (name === 'br' || name === 'p' || name === 'li') cell += ' '
        return
      }
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
        depth = 1
        rows = []
      } else if (name === 'br') line += ' '
    },
    ontext(text) {
      if (depth > 0) cell += text
      else line += text
    },
    onclosetag(name) {
      if (depth > 0) {
        if (name === 'table') {
          depth -= 1
          if (depth === 0) {
            const width = Math.max(0, ...rows.map((r) => r.length))
            for (const r of rows) if (r.some(Boolean)) lines.push(tableRowLine([...r, ...Array(width - r.length).fill('')]))
          }
        } else if (depth === 1 && (name === 'td' || name === 'th')) row?.push(cell.replace(/\s+/g, ' ').trim())
        else if (depth === 1 && name === 'tr' && row) {
          rows.push(row)
          row = null
        }
        return
      }
      if (name === 'ol' || name === 'ul') {
        flush()
        lists.pop()
      } else if (BLOCKS.has(name)) flush()
    },
  }, { decodeEntities: true })
  parser.write(html)
  parser.end()
  flush()
  return lines.join('\n')
}
