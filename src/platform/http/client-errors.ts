import type { Socket } from 'node:net'

/**
 * What Node answers before a request reaches the app (an address or cookies too long, a request it
 * cannot parse): a small page in the three languages, since the reader's language is not known yet,
 * instead of Fastify's English JSON. It has no script or style for the policy to block.
 */
const PAGE = (status: number, kk: string, ru: string, en: string) => `<!DOCTYPE html>
<html lang="kk"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${status}</title></head><body>
<h1>${kk}</h1><p><a href="/kk/">Басты бет</a></p>
<h1 lang="ru">${ru}</h1><p lang="ru"><a href="/ru/">Главная</a></p>
<h1 lang="en">${en}</h1><p lang="en"><a href="/en/">Home page</a></p>
</body></html>`

const TOO_LONG = PAGE(431,
  'Мекенжай тым ұзын: іздеу сұрауын қысқартып, қайталап көріңіз',
  'Адрес слишком длинный: сократите поисковый запрос и попробуйте снова',
  'The address is too long: shorten the search and try again')
const UNREADABLE = PAGE(400,
  'Сұрауды оқу мүмкін болмады',
  'Запрос не удалось прочитать',
  'The request could not be read')

export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return
  const tooLong = error.code === 'HPE_HEADER_OVERFLOW'
  const body = tooLong ? TOO_LONG : UNREADABLE
  socket.end(`HTTP/1.1 ${tooLong ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
    'Content-Type: text/html; charset=utf-8\r\nContent-Language: kk, ru, en\r\nConnection: close\r\n' +
    `X-Content-Type-Options: nosniff\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
}
