import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { execFileSync } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buildApp } from '../../../src/app.ts'
import { FolderFileStore, type FileStore } from '../../../src/platform/files/index.ts'
import { openPostgres } from '../../../src/platform/db/postgres.ts'
import { migrate } from '../../../src/platform/db/migrate.ts'
import { SERVER_URL, createServerDatabase, createTestDb } from '../../helpers/db.ts'
import { makeAgency } from '../../helpers/factories.ts'
import { signedInBrowser } from '../../helpers/users.ts'

/** A TCP relay to the database server that the test can cut and mend, as a network or a restart would. */
async function relay(target: URL) {
  const sockets = new Set<net.Socket>()
  let server: net.Server | undefined
  const open = (port = 0) => new Promise<number>((resolve) => {
    server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname)
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.on('close', () => sockets.delete(socket))
        socket.on('error', () => socket.destroy())
      }
      client.pipe(upstream).pipe(client)
    })
    server.listen(port, '127.0.0.1', () => resolve((server!.address() as net.AddressInfo).port))
  })
  const port = await open()
  return {
    port,
    async cut() {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server!.close(resolve))
    },
    async mend() {
      await open(port)
    },
  }
}

test('when the database stops answering, pages and the API answer 503 with Retry-After in the asker\'s language, and recover when it is back', { skip: SERVER_URL ? false : 'the embedded database runs inside the server: it cannot be cut off from it' }, async (t) => {
  const { url, drop } = await createServerDatabase()
  const direct = await openPostgres(url, 1)
  await migrate(direct)
  await makeAgency(direct, { slug: 'ministry-of-health' })
  await direct.close()
  const target = new URL(url)
  const wire = await relay(target)
  const through = new URL(url)
  through.hostname = '127.0.0.1'
  through.port = String(wire.port)
  const db = await openPostgres(through.toString(), 2)
  const app = await buildApp({ db, config: { logLevel: 'silent' } })
  t.after(async () => {
    await app.close()
    await db.close()
    await wire.cut()
    await drop()
  })
  assert.equal((await app.inject({ url: '/ru/agencies' })).statusCode, 200)

  await wire.cut()
  const page = await app.inject({ url: '/ru/agencies' })
  assert.equal(page.statusCode, 503)
  assert.equal(page.headers['retry-after'], '10')
  assert.match(page.body, /Сервис временно недоступен[\s\S]*База данных не отвечает/)
  const api = await app.inject({ url: '/api/agencies', headers: { 'accept-language': 'kk' } })
  assert.equal(api.statusCode, 503)
  assert.equal(api.json().type, '/api/problems/unavailable')
  assert.equal(api.json().title, 'Қызмет уақытша қолжетімсіз')

  await wire.mend()
  assert.equal((await app.inject({ url: '/ru/agencies' })).statusCode, 200)
})

function mountSmallDisk(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

test('a file sent to a full disk is refused at once with 507 naming it, and nothing of it or its question is kept', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ashyq-full-'))
  if (!mountSmallDisk(dir)) {
    t.skip('a small disk needs tmpfs, which only root may mount')
    return
  }
  const db = await createTestDb()
  await makeAgency(db, { slug: 'ministry-of-health' })
  const app = await buildApp({ db, files: new FolderFileStore(dir), config: { logLevel: 'silent' } })
  t.after(async () => {
    await app.close()
    await db.close()
    execFileSync('umount', [dir])
    await rm(dir, { recursive: true, force: true })
  })
  const citizen = await signedInBrowser(app, db, undefined, undefined, { confirmed: true })
  const from = '/ru/dialogue/ministry-of-health/ask'
  const sent = await citizen.postFile(from, { topic: 'health', body: 'Вопрос с большим файлом', showName: 'no' }, [{ field: 'file1', name: 'скан.pdf', content: Buffer.alloc(1024 * 1024, 0x25) }], { from })
  assert.equal(sent.statusCode, 507)
  assert.match(sent.body, /Нет места для хранения файла[\s\S]*на диске сервера нет места, чтобы сохранить скан\.pdf/)
  assert.deepEqual((await readdir(dir, { recursive: true })).filter((name) => String(name).includes('-')), [], 'no part of the file is left')
  assert.equal((await db.query('select * from dialogue_questions')).length, 0)
})
