import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { FolderFileStore } from '../../src/platform/files/index.ts'

/** A file store in a fresh temporary folder of its own. */
export function testFileStore(limitBytes?: number): FolderFileStore {
  return new FolderFileStore(mkdtempSync(path.join(tmpdir(), 'ashyq-files-')), limitBytes)
}
