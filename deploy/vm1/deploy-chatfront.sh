#!/usr/bin/env bash
# Deploys a chatfront image on VM1 and rolls back when it does not become ready.
#
#   deploy-chatfront.sh IMAGE [REGISTRY_USER]    IMAGE e.g. ghcr.io/acme/teamchat-chatfront@sha256:...
#
# Run as root: the GitHub Actions deploy job runs it through sudo over SSH, allowed by
#   deploy ALL=(root) NOPASSWD: /usr/local/lib/teamchat/deploy-chatfront.sh
# (no SETENV: the settings below cannot be changed through sudo). With REGISTRY_USER, the
# registry token is read from standard input and used for this pull only, in a temporary Docker
# config removed afterwards.
#
# Steps: pull; back the database up (Flyway migrates when the new chatfront starts); point
# chatfront.image at the new image; restart; wait for /health/ready. If it is not ready in time,
# the previous image is put back and restarted, and the script exits 1. A migration that already
# ran stays: migrations must be backward compatible with the previous release (expand, then
# contract in a later release), or the rollback is a restore (docs/deploy.md).
#
# Settings (environment; the defaults are VM1's): TEAMCHAT_ETC (/etc/teamchat), HEALTH_URL
# (http://127.0.0.1:8080/health/ready), HEALTH_TIMEOUT seconds (180), BACKUP_UNIT
# (teamchat-db-backup.service, empty to skip), DOCKER (docker), SYSTEMCTL (systemctl).
set -euo pipefail

IMAGE=${1:?usage: deploy-chatfront.sh IMAGE [REGISTRY_USER]}
REGISTRY_USER=${2:-}
ETC=${TEAMCHAT_ETC:-/etc/teamchat}
HEALTH_URL=${HEALTH_URL:-http://127.0.0.1:8080/health/ready}
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-180}
BACKUP_UNIT=${BACKUP_UNIT-teamchat-db-backup.service}
DOCKER=${DOCKER:-docker}
SYSTEMCTL=${SYSTEMCTL:-systemctl}
UNIT=teamchat-chatfront.service
IMAGE_FILE=$ETC/chatfront.image

log() { printf 'deploy-chatfront: %s\n' "$*"; }

case "$IMAGE" in
  *[!A-Za-z0-9./:@_-]* | '' | -*) log "not an image reference: $IMAGE"; exit 2 ;;
esac
case "$REGISTRY_USER" in
  *[!A-Za-z0-9_-]* | -*) log "not a registry user name: $REGISTRY_USER"; exit 2 ;;
esac

pull() {
  if [ -n "$REGISTRY_USER" ]; then
    local config
    config=$(mktemp -d)
    # shellcheck disable=SC2064 # expand now: the folder to remove is this one
    trap "rm -rf '$config'" RETURN
    DOCKER_CONFIG=$config "$DOCKER" login --username "$REGISTRY_USER" --password-stdin "${IMAGE%%/*}" >/dev/null
    DOCKER_CONFIG=$config "$DOCKER" pull --quiet "$IMAGE"
  else
    "$DOCKER" pull --quiet "$IMAGE"
  fi
}

ready() {
  local deadline=$((SECONDS + HEALTH_TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    if curl --silent --fail --max-time 5 --output /dev/null "$HEALTH_URL"; then
      return 0
    fi
    sleep 3
  done
  return 1
}

switch_to() {
  local tmp
  tmp=$(mktemp "$IMAGE_FILE.XXXXXX")
  printf 'CHATFRONT_IMAGE=%s\n' "$1" >"$tmp"
  chmod 644 "$tmp"
  mv "$tmp" "$IMAGE_FILE"
  # A unit that fails at once is caught by the health check below, like one that never gets ready.
  "$SYSTEMCTL" restart "$UNIT" || log "restart of $UNIT failed"
}

previous=""
if [ -f "$IMAGE_FILE" ]; then
  previous=$(sed -n 's/^CHATFRONT_IMAGE=//p' "$IMAGE_FILE")
fi

log "pulling $IMAGE"
pull
if [ -n "$BACKUP_UNIT" ]; then
  log "backing up the database ($BACKUP_UNIT)"
  "$SYSTEMCTL" start "$BACKUP_UNIT"
fi

log "starting $IMAGE (previous: ${previous:-none})"
switch_to "$IMAGE"
if ready; then
  log "ready: $IMAGE"
  exit 0
fi

log "not ready after ${HEALTH_TIMEOUT} s; last lines of its log:"
journalctl --unit "$UNIT" --lines 30 --no-pager 2>/dev/null || true
if [ -z "$previous" ] || [ "$previous" = "$IMAGE" ]; then
  log "no previous image to roll back to"
  exit 1
fi
log "rolling back to $previous"
switch_to "$previous"
if ready; then
  log "rolled back: $previous is ready again"
else
  log "the previous image is not ready either: look at journalctl -u $UNIT"
fi
exit 1
