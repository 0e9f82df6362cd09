// Progressive enhancement only: every page works without JavaScript.
import { initAll } from '/static/govuk/govuk-frontend.min.js'
import '/static/js/quick-exit.js'
import '/static/js/session-timeout.js'

initAll()
