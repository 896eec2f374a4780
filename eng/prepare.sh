# Sourced by eng/test.sh, eng/run-local.sh and eng/bench.sh: the set-up they share, in one place. The caller sets
# `repo` and, before the first step, traps EXIT to engine_stop (so a Docker Engine it started is stopped again).
#   prepare_steps              the steps, in order: prerequisites, container engine, images
#   prepare_step <step>        runs one: installs what is missing (eng/install-prereqs.sh), starts Docker Engine unless
#                              a Docker answers (eng/engine.sh), provides the official images (eng/images/build.sh) and
#                              has the container tunnel's base image answered from them (eng/env.sh)
#   prepare                    runs every step, stopping at the first that fails
# shellcheck source=env.sh
source "$repo/eng/env.sh"
# shellcheck source=engine.sh
source "$repo/eng/engine.sh"

prepare_steps=(prerequisites "container engine" images)

prepare_step() {
  case $1 in
    prerequisites) "$repo/eng/install-prereqs.sh" ;;
    "container engine") engine_start ;;
    images) "$repo/eng/images/build.sh" && answer_tunnel_base_pull ;;
    *) echo "prepare: no step '$1'" >&2; return 1 ;;
  esac
}

prepare() {
  local step
  for step in "${prepare_steps[@]}"; do
    prepare_step "$step" || return
  done
}
