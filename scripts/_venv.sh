# Shared by scripts/demo and scripts/test (sourced, not run): make .venv usable, reusing it when
# it is healthy and installed from the current pyproject.toml, so a second run starts at once.
#
#   ensure_venv SPEC STAMP [PROGRAM...]
#
# SPEC is what pip installs (". " or ".[dev]"); STAMP names the file in .venv that records that
# it did, newer than pyproject.toml; the PROGRAMs in .venv/bin must exist (the seamline console
# script always must, and answer --version).

_venv_healthy() {
    local stamp="$1"
    shift
    [ -f ".venv/$stamp" ] && [ ! pyproject.toml -nt ".venv/$stamp" ] || return 1
    local program
    for program in seamline "$@"; do
        [ -x ".venv/bin/$program" ] || return 1
    done
    .venv/bin/seamline --version >/dev/null 2>&1
}

ensure_venv() {
    local spec="$1" stamp="$2"
    shift 2
    if _venv_healthy "$stamp" "$@"; then
        echo "== using .venv (set up before; delete it to rebuild)"
        return 0
    fi
    if [ -d .venv ] && ! .venv/bin/python -c "" >/dev/null 2>&1; then
        echo "== .venv is broken (its python does not start); rebuilding it (~20 s)"
        python3 -m venv --clear .venv
    elif [ -d .venv ]; then
        echo "== updating .venv (pyproject.toml changed or the install is incomplete, ~20 s)"
    else
        echo "== setting up .venv (first run, ~20 s)"
        python3 -m venv .venv
    fi
    .venv/bin/pip install -q --disable-pip-version-check -e "$spec"
    if ! .venv/bin/seamline --version >/dev/null 2>&1; then
        echo "error: .venv/bin/seamline does not run after installing; delete .venv and try again" >&2
        return 1
    fi
    touch ".venv/$stamp"
}
