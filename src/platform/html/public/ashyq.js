// Progressive enhancement only: every page works without it (the mobile menu toggle, for one).
import { initAll } from '/static/govuk-frontend.min.js'

initAll()
