import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
// s3rver ships no types; what the tests use of it is declared in s3rver.d.ts.
import S3rver from 's3rver'
import type { S3Location } from '../../src/platform/files/s3-location.ts'

/**
 * A local S3-compatible server (s3rver, keeping its objects in a temporary folder) with one empty
 * bucket, on 127.0.0.1: the location a site's file store is given, as ASHYQ_FILES_URL and
 * AWS_ENDPOINT_URL_S3 would give it.
 */
export async function startS3(bucket = 'ashyq'): Promise<{ location: S3Location; env: Record<string, string>; close(): Promise<void> }> {
  const directory = await mkdtemp(path.join(tmpdir(), 'ashyq-s3rver-'))
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] })
  const { port } = await server.run()
  const endpoint = `http://127.0.0.1:${port}`
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }
  return {
    location: { bucket, prefix: 'site/', endpoint, region: 'us-east-1', credentials },
    env: { ASHYQ_FILES_URL: `s3://${bucket}/site`, AWS_ENDPOINT_URL_S3: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey },
    async close() {
      await server.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}
