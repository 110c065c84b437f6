// Progressive enhancement only: every page works without it (the mobile menu toggle, for one).
import { initAll } from '/static/govuk-frontend.min.js'

// Chromium's data writes Kazakh numbers with English separators ("5,000"); Kazakh groups digits as
// Russian does ("5 000"). GOV.UK Frontend's counters format with the page's language, so Kazakh
// numbers are formatted by Russian's rules here, before they start.
if (new Intl.NumberFormat('kk').format(1000) !== new Intl.NumberFormat('ru').format(1000)) {
  const NumberFormat = Intl.NumberFormat
  const kazakh = (locales) => [locales ?? []].flat().map((locale) => (/^kk(-|$)/i.test(locale) ? 'ru-KZ' : locale))
  const Patched = function (locales, options) { return new NumberFormat(kazakh(locales), options) }
  Patched.supportedLocalesOf = (locales, options) => NumberFormat.supportedLocalesOf(locales, options)
  Patched.prototype = NumberFormat.prototype
  Intl.NumberFormat = Patched
}

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
