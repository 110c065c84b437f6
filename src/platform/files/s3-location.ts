// Read by the configuration, which must not load the S3 client unless a bucket is used.

/** Where an S3 store is: its bucket and the prefix of its keys, with the service's address when not AWS's. */
export interface S3Location {
  bucket: string
  /** Put before every key: "ashyq/" keeps the site's files under that folder of the bucket. */
  prefix: string
  /** An S3-compatible service's address (MinIO, Ceph, a cloud's own); AWS's own when not given. */
  endpoint?: string
  region: string
  /** Credentials when not read from the usual places (AWS_ACCESS_KEY_ID and the rest, a profile, a role). */
  credentials?: { accessKeyId: string; secretAccessKey: string }
}

/** Parses ASHYQ_FILES_URL's s3://bucket/prefix; null when it is not one. */
export function parseS3Url(url: string): { bucket: string; prefix: string } | null {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url)
  if (!match) return null
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '')
  return { bucket: match[1]!, prefix: prefix ? `${prefix}/` : '' }
}
