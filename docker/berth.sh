#!/bin/sh
# /usr/local/bin/berth in the image: runs the Berth CLI (`berth server ...`, `berth put k v`, `berth status`).
# JVM flags for the server come from JAVA_TOOL_OPTIONS (image default, overridden by the StatefulSet);
# BERTH_JAVA_OPTS adds more.
set -eu
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
security="-Djava.security.properties=/etc/berth/java.security"
case "${1:-}" in
  server) exec "$java" $security ${BERTH_JAVA_OPTS:-} -cp '/opt/berth/lib/*' io.berth.cli.Main "$@" ;;
  # Short-lived client commands (often `kubectl exec` into a member): start fast and stay small, so they
  # never push the member's container over its memory limit; the server's JAVA_TOOL_OPTIONS do not apply
  # (and the JVM does not announce them on stderr).
  *) unset JAVA_TOOL_OPTIONS
     exec "$java" $security -XX:TieredStopAtLevel=1 -Xmx128m -Xss512k ${BERTH_JAVA_OPTS:-} \
       -cp '/opt/berth/lib/*' io.berth.cli.Main "$@" ;;
esac
