// The local provider's pages: plain HTML, no JavaScript, usable at 320 px and with a keyboard.

export const TITLE = 'GOV.UK One Login (local)';

const STYLE = `
body{font-family:arial,sans-serif;margin:0;color:#0b0c0c;line-height:1.4;font-size:19px}
header{background:#0b0c0c;color:#fff;padding:10px 15px;font-weight:bold}
.banner{background:#f47738;color:#0b0c0c;padding:10px 15px;font-weight:bold}
main{max-width:640px;padding:15px}
label{display:block;font-weight:bold;margin-bottom:5px}
input{font-size:19px;padding:5px;width:100%;max-width:24em;box-sizing:border-box;border:2px solid #0b0c0c}
button{font-size:19px;padding:8px 12px;margin-top:20px;background:#00703c;color:#fff;border:0;
  box-shadow:0 2px 0 #002d18;cursor:pointer}
:focus{outline:3px solid #fd0;outline-offset:0}
.error{color:#d4351c;font-weight:bold}
`;

export function escape(value) {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function page(heading, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${TITLE}</title>
<style>${STYLE}</style>
</head>
<body>
<header>${TITLE}</header>
<div class="banner" role="region" aria-label="Test provider">This is a local test provider, not the real GOV.UK One Login.
Do not enter real personal details.</div>
<main>
<h1>${escape(heading)}</h1>
${body}
</main>
</body>
</html>`;
}

/** The sign-in form: one email address, one button. `uiLocales` is shown so a test can see it arrived. */
export function signInPage(uid, uiLocales, email, error) {
  const errorId = error ? ' aria-describedby="email-error"' : '';
  const errorText = error ? `<p class="error" id="email-error">Error: ${escape(error)}</p>` : '';
  const locale = uiLocales ? `<p>Language asked for: ${escape(uiLocales)}</p>` : '';
  return page('Sign in', `${locale}
<form method="post" action="/interaction/${escape(uid)}" novalidate>
<label for="email">Email address</label>
${errorText}
<input id="email" name="email" type="email" autocomplete="email" spellcheck="false" value="${escape(email)}"${errorId}>
<button type="submit">Continue</button>
</form>`);
}

/** The end-session confirmation: `form` is oidc-provider's hidden form (its anti-forgery token). */
export function signOutPage(form) {
  return page('Sign out of GOV.UK One Login (local)', `${form}
<p>You will be signed out of every service you signed in to with this provider.</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>`);
}
