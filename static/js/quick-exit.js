// "Exit this page" (GOV.UK Frontend) ends the session on the way out.
// Without JavaScript the button is a link to /exit, which redirects to the BBC weather page without
// changing anything; the session then ends at the idle time-out. With JavaScript the button goes straight
// to the BBC weather page and, as the page is hidden, posts the CSRF token to /sign-out/quick with
// navigator.sendBeacon so the server ends every session of the account at once.
const root = document.querySelector('[data-module="govuk-exit-this-page"]')
const button = root ? root.querySelector('.govuk-exit-this-page__button') : null

function endSession () {
  const token = document.querySelector('form[data-app-sign-out] input[name="csrf_token"]')
  if (!token || !navigator.sendBeacon) {
    return // not signed in
  }
  const data = new FormData()
  data.append('csrf_token', token.value)
  navigator.sendBeacon('/sign-out/quick', data)
}

if (root && button) {
  if (root.dataset.appExitUrl) {
    button.href = root.dataset.appExitUrl
  }
  let ended = false
  const endOnce = () => {
    if (!ended) {
      ended = true
      endSession()
    }
  }
  // The button: caught in the capture phase, before GOV.UK Frontend starts navigating away.
  document.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('.govuk-exit-this-page__button')) {
      endOnce()
    }
  }, true)
  // Shift pressed 3 times: GOV.UK Frontend adds this class just before it navigates away.
  const observer = new MutationObserver(() => {
    if (document.body.classList.contains('govuk-exit-this-page-hide-content')) {
      endOnce()
    }
  })
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] })
}
