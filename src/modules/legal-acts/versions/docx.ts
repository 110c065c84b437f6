import { ValidationError } from '../../../platform/http/errors.ts'
import { Gate } from '../../../platform/http/gate.ts'
import { IsolationExceeded, runIsolated, scriptBeside, type IsolationLimits } from '../../../platform/jobs/threads.ts'
import type { DocxReading } from './docx-read.ts'

/** What reading one Word file may take. */
export interface DocxLimits extends IsolationLimits {
  /** The most its parts may inflate to, counted as they inflate: a long code is a few MB of XML. */
  maxUnpackedBytes: number
}

/**
 * The bounds of one Word file: 100 MB unpacked, 20 seconds and a 512 MB heap on its own thread (a
 * code of a thousand pages reads in about a second and a few hundred MB).
 */
export const DOCX_LIMITS: DocxLimits = { maxUnpackedBytes: 100 * 1024 * 1024, timeoutMs: 20_000, heapMb: 512 }

// Word files read at once in this process: each takes a core and up to its heap.
const READING = new Gate({ running: 2, waiting: 8, perAddress: 4, retryAfterSeconds: 10 })

const READER = scriptBeside(import.meta.url, 'docx-read')

/**
 * A Word (DOCX) file's text as an editor would paste it, one line per paragraph, for `splitText`.
 * mammoth reads the document into HTML; headings and paragraphs become lines as they are. Word's
 * automatic numbering is not in the text itself: items of a top-level numbered list become the
 * act's numbered paragraphs ("3. …"), counted on through every such list of the document, since an
 * act numbers its paragraphs through all its chapters; items of a list inside one become its
 * subparagraphs ("1) …"). A table's row is one line, its cells joined by " | ".
 * Read on a thread of its own within `limits`; a file past them is refused on its field.
 */
export async function docxToText(path: string, field: string, who = 'local', limits: DocxLimits = DOCX_LIMITS): Promise<string> {
  const reading = await READING.run(who, () => runIsolated<unknown, DocxReading>(READER, 'readDocx', { path, maxUnpackedBytes: limits.maxUnpackedBytes }, limits))
    .catch((error: unknown) => {
      if (error instanceof IsolationExceeded) return { problem: 'tooComplex' } as const
      throw error
    })
  if ('text' in reading) return reading.text
  const values = reading.problem === 'tooLarge' ? { megabytes: limits.maxUnpackedBytes / 1024 / 1024 } : reading.problem === 'tooComplex' ? { seconds: limits.timeoutMs / 1000 } : undefined
  const key = { unreadable: 'docxUnreadable', tooLarge: 'docxTooLarge', empty: 'docxEmpty', tooComplex: 'docxTooComplex' }[reading.problem]
  throw new ValidationError([{ field, messageKey: `legalActs.errors.${key}`, values }])
}
