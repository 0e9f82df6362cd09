#!/usr/bin/env bash
# Copy the built GOV.UK Frontend and MoJ Frontend files from node_modules into static/.
# The CSS refers to /assets/fonts and /assets/images, which the portal serves from static/assets.
set -euo pipefail
cd "$(dirname "$0")/.."
GOVUK=node_modules/govuk-frontend/dist/govuk
MOJ=node_modules/@ministryofjustice/frontend/moj
rm -rf static/govuk static/moj static/assets
mkdir -p static/govuk static/moj
cp "$GOVUK/govuk-frontend.min.css" "$GOVUK/govuk-frontend.min.js" static/govuk/
cp -R "$GOVUK/assets" static/assets
cp "$MOJ/moj-frontend.min.css" "$MOJ/moj-frontend.min.js" static/moj/
if [ -d "$MOJ/assets" ]; then cp -R "$MOJ/assets" static/moj/assets; fi
echo "Front-end assets copied to static/."
