import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../platform/config.ts'
import { FolderFileStore, type FileStore } from '../platform/files/index.ts'

const USAGE = `Usage:
  npm run files:move -- --to s3        copy the files of ASHYQ_FILES_DIR's folder to ASHYQ_FILES_URL's bucket
  npm run files:move -- --to folder    copy the files of the bucket to the folder

Copies every kept file under the same key, so the database's records find them in either place. A
file already there whole is passed over: a run cut off is run again and goes on where it stopped.
Nothing is deleted: once the site runs on the new store and its files are checked, the old one can
be removed. The bucket's address and credentials are read as the site reads them (AWS_ENDPOINT_URL_S3,
AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).`

class UsageError extends Error {}

/** Copies every file of one store to the other; what it did, a line each 100 files and one at the end. */
export async function moveFiles(from: FileStore, to: FileStore, say: (line: string) => void = console.log): Promise<{ copied: number; present: number; bytes: number }> {
  let copied = 0
  let present = 0
  let bytes = 0
  for await (const { key, size } of from.keys()) {
    if (await to.copyFrom(from, key, size)) {
      copied += 1
      bytes += size
    } else {
      present += 1
    }
    if ((copied + present) % 100 === 0) say(`${copied + present} files looked at: ${copied} copied, ${present} already there`)
  }
  say(`${from.description} -> ${to.description}: ${copied} files copied (${Math.round(bytes / 1024 / 1024)} MB), ${present} already there`)
  return { copied, present, bytes }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const { values } = parseArgs({ args: process.argv.slice(2), options: { to: { type: 'string' } } })
    if (values.to !== 's3' && values.to !== 'folder') throw new UsageError(USAGE)
    const config = loadConfig()
    if (!config.filesS3) throw new UsageError(`ASHYQ_FILES_URL must name the bucket (s3://bucket/prefix).\n\n${USAGE}`)
    const { S3FileStore } = await import('../platform/files/s3.ts')
    const folder = new FolderFileStore(config.filesDir, config.uploadLimitBytes)
    const bucket = new S3FileStore(config.filesS3, config.uploadLimitBytes)
    await moveFiles(values.to === 's3' ? folder : bucket, values.to === 's3' ? bucket : folder)
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : ''
    if (!(error instanceof UsageError) && !code.startsWith('ERR_PARSE_ARGS') && !(error instanceof ConfigError)) throw error
    console.error((error as Error).message)
    process.exitCode = 2
  }
}
