// The GOV.UK timeout warning: 2 minutes before the session ends, a modal dialog offers to stay signed in
// or sign out. Pages work without it: they show when the session will end, and the server enforces it.
// With JavaScript the sentence saying so is hidden (static/css/app.css), as the dialog warns instead; a
// browser that cannot open the dialog is shown the sentence again.
const root = document.querySelector('[data-module="app-session-timeout"]')
const dialog = root ? root.querySelector('dialog') : null

if (root && !(dialog && typeof dialog.showModal === 'function')) {
  root.classList.add('app-session-timeout--no-dialog')
}

function csrfToken () {
  const input = document.querySelector('input[name="csrf_token"]')
  return input ? input.value : ''
}

if (root && dialog && typeof dialog.showModal === 'function') {
  const warningSeconds = Number(root.dataset.warningSeconds) || 120
  const countdown = root.querySelector('.app-session-timeout__countdown')
  const stay = root.querySelector('.app-session-timeout__stay')
  let endsAt = Date.now() + (Number(root.dataset.remainingSeconds) || 0) * 1000
  let warnTimer = null
  let tick = null

  const describe = (ms) => {
    const seconds = Math.max(0, Math.ceil(ms / 1000))
    if (seconds > 60) {
      const minutes = Math.ceil(seconds / 60)
      return minutes + ' ' + (root.dataset.minutes || 'minutes')
    }
    // The words come from the page, in its language (templates/auth/_session_timeout.html).
    return seconds === 1 ? root.dataset.oneSecond || '1 second' : seconds + ' ' + (root.dataset.seconds || 'seconds')
  }

  const timeOut = () => {
    window.clearInterval(tick)
    const data = new FormData()
    data.append('csrf_token', csrfToken())
    fetch(root.dataset.quickSignOutUrl, { method: 'POST', body: data, credentials: 'same-origin' })
      .finally(() => { window.location.href = root.dataset.timedOutUrl })
  }

  const update = () => {
    const left = endsAt - Date.now()
    if (left <= 0) {
      timeOut()
      return
    }
    countdown.textContent = describe(left)
  }

  const warn = () => {
    update()
    if (!dialog.open) {
      dialog.showModal()
    }
    tick = window.setInterval(update, 1000)
  }

  const schedule = () => {
    window.clearTimeout(warnTimer)
    window.clearInterval(tick)
    warnTimer = window.setTimeout(warn, Math.max(0, endsAt - Date.now() - warningSeconds * 1000))
  }

  const staySignedIn = () => {
    fetch(root.dataset.keepAliveUrl, {
      method: 'POST',
      headers: { 'X-CSRFToken': csrfToken() },
      credentials: 'same-origin'
    }).then((response) => response.ok ? response.json() : Promise.reject(response))
      .then((body) => {
        endsAt = Date.now() + body.remaining_seconds * 1000
        if (dialog.open) {
          dialog.close()
        }
        schedule()
      })
      .catch(() => { window.location.reload() })
  }

  stay.addEventListener('click', staySignedIn)
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    staySignedIn()
  })
  schedule()
}
