import mammoth from 'mammoth'
import { Parser } from 'htmlparser2'
import yauzl from 'yauzl'
import { ValidationError } from '../../../platform/http/errors.ts'

/** The most a Word file's parts may unpack to: a long code is a few MB of XML, a ZIP bomb is not read. */
const MAX_UNPACKED_BYTES = 200 * 1024 * 1024

async function unpackedBytes(path: string): Promise<number> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, file) => (error || !file ? reject(error ?? new Error('no zip')) : resolve(file)))
  })
  return new Promise<number>((resolve, reject) => {
    let total = 0
    zip.on('error', reject)
    zip.on('entry', (entry: yauzl.Entry) => {
      total += entry.uncompressedSize
      zip.readEntry()
    })
    zip.on('end', () => resolve(total))
    zip.readEntry()
  })
}

/**
 * A Word (DOCX) file's text as an editor would paste it, one line per paragraph, for `splitText`.
 * mammoth reads the document into HTML; headings and paragraphs become lines as they are. Word's
 * automatic numbering is not in the text itself: items of a top-level numbered list become the
 * act's numbered paragraphs ("3. …"), counted on through every such list of the document, since an
 * act numbers its paragraphs through all its chapters; items of a list inside one become its
 * subparagraphs ("1) …"). A table's row is one line, its cells joined by " | ".
 */
export async function docxToText(path: string, field: string): Promise<string> {
  const unreadable = () => new ValidationError([{ field, messageKey: 'legalActs.errors.docxUnreadable' }])
  const unpacked = await unpackedBytes(path).catch(() => {
    throw unreadable()
  })
  if (unpacked > MAX_UNPACKED_BYTES) throw new ValidationError([{ field, messageKey: 'legalActs.errors.docxTooLarge', values: { megabytes: MAX_UNPACKED_BYTES / 1024 / 1024 } }])
  const { value: html } = await mammoth.convertToHtml({ path }).catch(() => {
    throw unreadable()
  })
  const text = htmlToLines(html)
  if (!text.trim()) throw new ValidationError([{ field, messageKey: 'legalActs.errors.docxEmpty' }])
  return text
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
