# Shared by the bench scripts (sourced, not run).

# need COMMAND PACKAGE: installs the Debian PACKAGE when COMMAND is missing,
# as root or through sudo.
need() {
  command -v "$1" >/dev/null && return
  echo "installing $1 (Debian package $2)…" >&2
  local sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
