#!/usr/bin/env bash
# Installs (or upgrades) a Payara Micro service that runs from its uber-jar under systemd: chatserv
# on VM2, auth on VM1. Rolls back when the new release does not become ready. Run as root from a
# checkout of this repository on the VM, with a jar from a GitHub release (chatserv-release.yml):
#
#   sudo deploy/install-service.sh chatserv chatserv-micro.jar [chatserv-micro.jar.sha256]
#   sudo deploy/install-service.sh auth auth-micro.jar [auth-micro.jar.sha256]
#
# First run: creates the system user teamchat-SERVICE, /etc/teamchat/SERVICE.env from the example
# beside the unit (mode 640 root:teamchat-SERVICE; fill it in, then run again; exit 3), and the
# systemd unit; for chatserv, its key pair (/etc/teamchat/keys/chatserv-assertion.key, 640
# root:teamchat-chatserv), printing the public key for VM1. Every run: installs the jar as a new release under /opt/teamchat/SERVICE/releases/,
# points /opt/teamchat/SERVICE/current at it, restarts, waits for /health/ready. Not ready in time:
# the previous release is put back and restarted, and the script exits 1. Three releases are kept.
#
# Settings (environment): TEAMCHAT_OPT (/opt/teamchat), TEAMCHAT_ETC (/etc/teamchat), UNIT_DIR
# (/etc/systemd/system), HEALTH_TIMEOUT (180), SYSTEMCTL (systemctl), CREATE_USER (yes).
set -euo pipefail

USAGE="usage: install-service.sh chatserv|auth JAR [JAR.sha256]"
SERVICE=${1:?$USAGE}
JAR=${2:?$USAGE}
CHECKSUM=${3:-}
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "$SERVICE" in
  chatserv) VM_DIR=$HERE/vm2; PORT=8082 ;;
  auth) VM_DIR=$HERE/vm1; PORT=8081 ;;
  *) echo "$USAGE" >&2; exit 2 ;;
esac
OPT=${TEAMCHAT_OPT:-/opt/teamchat}/$SERVICE
ETC=${TEAMCHAT_ETC:-/etc/teamchat}
UNIT_DIR=${UNIT_DIR:-/etc/systemd/system}
HEALTH_URL=${HEALTH_URL:-http://127.0.0.1:$PORT/health/ready}
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-180}
SYSTEMCTL=${SYSTEMCTL:-systemctl}
SERVICE_USER=teamchat-$SERVICE
UNIT=teamchat-$SERVICE.service
ENV_FILE=$ETC/$SERVICE.env

log() { printf 'install-service %s: %s\n' "$SERVICE" "$*"; }

[ -f "$JAR" ] || { log "no such file: $JAR"; exit 2; }
if [ -n "$CHECKSUM" ]; then
  expected=$(cut -d' ' -f1 <"$CHECKSUM")
  actual=$(sha256sum "$JAR" | cut -d' ' -f1)
  [ "$expected" = "$actual" ] || { log "checksum mismatch: $JAR is not the released file"; exit 2; }
fi

if [ "${CREATE_USER:-yes}" = yes ] && ! id "$SERVICE_USER" >/dev/null 2>&1; then
  log "creating system user $SERVICE_USER"
  useradd --system --user-group --home-dir "/var/lib/$SERVICE_USER" --no-create-home \
    --shell /usr/sbin/nologin "$SERVICE_USER"
fi

install -d -m 755 "$ETC"
if [ "$SERVICE" = chatserv ]; then
  # chatserv's key pair for its calls to chatfront (docs/tokens.md, "Service calls"): made once;
  # the private key stays here, readable by chatserv alone; the public key goes to VM1.
  KEY_DIR=$ETC/keys
  KEY=$KEY_DIR/chatserv-assertion.key
  install -d -m 750 "$KEY_DIR"
  chgrp "$SERVICE_USER" "$KEY_DIR" 2>/dev/null || true
  if [ ! -f "$KEY" ]; then
    (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$KEY.new")
    chgrp "$SERVICE_USER" "$KEY.new" 2>/dev/null || true
    chmod 640 "$KEY.new"
    mv "$KEY.new" "$KEY"
    log "made chatserv's key $KEY; put its public key on VM1 (docs/deploy.md, step 7):"
    openssl pkey -in "$KEY" -pubout
  fi
fi
if [ ! -f "$ENV_FILE" ]; then
  install -m 640 "$VM_DIR/$SERVICE.env.example" "$ENV_FILE"
  chgrp "$SERVICE_USER" "$ENV_FILE" 2>/dev/null || true
  log "wrote $ENV_FILE from the example: fill it in (docs/deploy.md), then run again"
  exit 3
fi

install -m 644 "$VM_DIR/$UNIT" "$UNIT_DIR/$UNIT"
"$SYSTEMCTL" daemon-reload
"$SYSTEMCTL" enable "$UNIT" >/dev/null

release="$(date -u +%Y%m%dT%H%M%SZ)-$(sha256sum "$JAR" | cut -c1-12)"
install -d -m 755 "$OPT/releases/$release"
install -m 644 "$JAR" "$OPT/releases/$release/$SERVICE-micro.jar"
previous=""
if [ -L "$OPT/current" ]; then previous=$(readlink "$OPT/current"); fi

switch_to() {
  ln -sfn "$1" "$OPT/current.new"
  mv -T "$OPT/current.new" "$OPT/current"
  # A unit that fails at once is caught by the health check below, like one that never gets ready.
  "$SYSTEMCTL" restart "$UNIT" || log "restart of $UNIT failed"
}

ready() {
  local deadline=$((SECONDS + HEALTH_TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    if curl --silent --fail --max-time 5 --output /dev/null "$HEALTH_URL"; then return 0; fi
    sleep 3
  done
  return 1
}

log "starting release $release (previous: ${previous:-none})"
switch_to "releases/$release"
if ready; then
  log "ready: $release"
  # Keep the three newest releases (the current one among them).
  find "$OPT/releases" -mindepth 1 -maxdepth 1 -type d | sort | head -n -3 | xargs -r rm -rf
  exit 0
fi
log "not ready after ${HEALTH_TIMEOUT} s (journalctl -u $UNIT)"
if [ -n "$previous" ]; then
  log "rolling back to $previous"
  switch_to "$previous"
  if ready; then
    log "rolled back: $previous is ready again"
  else
    log "the previous release is not ready either"
  fi
fi
exit 1
