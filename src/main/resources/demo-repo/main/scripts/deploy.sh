#!/bin/sh
# The demo environments' deploy: Quorum runs this in a checkout of the approved commit with
# QUORUM_ENV, QUORUM_REF and QUORUM_SHA set. A real one would ship an artifact somewhere.
set -eu
: "${QUORUM_ENV:?QUORUM_ENV is not set}"
: "${QUORUM_SHA:?QUORUM_SHA is not set}"
echo "Deploying greeter ${QUORUM_SHA} (${QUORUM_REF:-?}) to ${QUORUM_ENV}"
if [ -n "${QUORUM_DEPLOY_DIR:-}" ]; then
  mkdir -p "${QUORUM_DEPLOY_DIR}"
  echo "${QUORUM_SHA}" > "${QUORUM_DEPLOY_DIR}/${QUORUM_ENV}"
fi
echo "Deployed to ${QUORUM_ENV}"
