import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

/** A file a form sends: its field, its name and its bytes. */
export interface FormFile {
  field: string
  name: string
  content: string | Buffer
  type?: string
}

/** A browser's cookie jar, enough for inject: keeps what Set-Cookie says, sends it back. */
export class Browser {
  readonly cookies = new Map<string, string>()

  /** remoteAddress: the client's address, for tests of limits per address; host: the Host header it sends. */
  constructor(readonly app: FastifyInstance, readonly remoteAddress = '127.0.0.1', readonly host?: string) {}

  private remember(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())
      if (expired || c.value === '') this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    return response
  }

  /** The Cookie header this browser sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private headers(more: Record<string, string> = {}): Record<string, string> {
    return { cookie: this.cookieHeader(), ...(this.host ? { host: this.host } : {}), ...more }
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.remember(await this.app.inject({ url, remoteAddress: this.remoteAddress, headers: this.headers() }))
  }

  /** The CSRF token of the first form on a page, as a browser would submit it. */
  async csrfFrom(url: string): Promise<string> {
    const page = await this.get(url)
    const match = /name="_csrf" value="([^"]+)"/.exec(page.body)
    if (!match?.[1]) throw new Error(`no CSRF token on ${url} (status ${page.statusCode})`)
    return match[1]
  }

  /** Submits a form as a browser would: urlencoded, with the cookies and (unless told not to) a CSRF token. */
  async post(url: string, fields: Record<string, string | readonly string[]>, { csrf = true, from = url } = {}): Promise<LightMyRequestResponse> {
    // A field given several values (checkboxes of one name) is sent once for each, as a browser does.
    const body = new URLSearchParams()
    for (const [name, value] of Object.entries(fields)) for (const one of typeof value === 'string' ? [value] : value) body.append(name, one)
    if (csrf) body.set('_csrf', await this.csrfFrom(from))
    return this.remember(await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.remoteAddress,
      payload: body.toString(),
      headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded' }),
    }))
  }

  /** Submits a form with a file (multipart/form-data), with the cookies and the CSRF token of the page at `from`. */
  async postFile(url: string, fields: Record<string, string>, file: FormFile | FormFile[] | null, { from = url, csrf = true } = {}): Promise<LightMyRequestResponse> {
    const form = new FormData()
    if (csrf) form.append('_csrf', await this.csrfFrom(from))
    for (const [key, value] of Object.entries(fields)) form.append(key, value)
    for (const f of file === null ? [] : Array.isArray(file) ? file : [file]) form.append(f.field, new Blob([f.content as BlobPart], { type: f.type ?? 'application/octet-stream' }), f.name)
    return this.remember(await this.app.inject({
      method: 'POST', url, remoteAddress: this.remoteAddress, payload: form, headers: this.headers(),
    }))
  }
}
