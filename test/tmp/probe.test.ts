import { test } from 'node:test'
import { createTestApp } from '../helpers/app.ts'
test('probe', async () => {
  for (let i = 0; i < 8; i++) {
    const t0 = performance.now()
    const { app, close } = await createTestApp()
    const t1 = performance.now()
    for (const url of ['/ru/', '/ru/data/datasets', '/ru/agencies', '/kk/dialogue/questions']) await app.inject({ url })
    const t2 = performance.now()
    await close()
    console.log(`app ${(t1 - t0).toFixed(0)} pages ${(t2 - t1).toFixed(0)}`)
  }
})
