#!/usr/bin/env bash
# Installs the Debian packages the test suite uses (bubblewrap for the sandbox, Chromium for the
# browser tests, Node.js and npm for the site's math), or the packages named as arguments. Needs root or sudo; otherwise it says what
# to install and carries on.
set -u
wanted=(bubblewrap chromium chromium-driver nodejs npm)
missing=()
command -v node >/dev/null || missing+=(nodejs)  # the site's build typesets math with KaTeX under Node
command -v npm >/dev/null || missing+=(npm)
command -v bwrap >/dev/null || missing+=(bubblewrap)
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
if [ $# -gt 0 ]; then wanted=("$@"); missing=("$@"); fi  # e.g. python3-venv, asked for by the Makefile
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; else
  echo "system-deps: not root; please install: ${missing[*]} (apt-get install ${wanted[*]})" >&2
  exit 0
fi
if command -v apt-get >/dev/null; then
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "system-deps: no apt-get; please install ${missing[*]} with your package manager" >&2
fi
exit 0
