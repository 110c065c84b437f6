// Progressive enhancement only: every page works without it (the mobile menu toggle, for one).
import { initAll } from '/static/govuk-frontend.min.js'

initAll()

// "Copy" buttons beside code examples: shown only where the clipboard can be written.
for (const button of document.querySelectorAll('button[data-copy]')) {
  if (!navigator.clipboard) continue
  button.hidden = false
  button.addEventListener('click', async () => {
    const code = document.getElementById(button.dataset.copy)
    if (!code) return
    await navigator.clipboard.writeText(code.textContent ?? '')
    button.textContent = button.dataset.copied ?? button.textContent
  })
}
