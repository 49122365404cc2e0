# bash completion for nettopo(1): commands, options, lab names after --lab, node names of
# running labs, NODE:IF endpoints. The candidates come from `nettopo __complete`, which knows
# the commands' options and reads the running labs (as root: /run/nettopo is root's).
# Installed as /usr/share/bash-completion/completions/nettopo; or: source this file.

_nettopo() {
  # Words up to the cursor, split on blanks only: COMP_WORDS also splits at ':', which would
  # cut an endpoint h1:eth0 in three.
  local line=${COMP_LINE:0:COMP_POINT}
  local -a words
  read -r -a words <<<"$line"
  [[ $line == *[[:blank:]] || ${#words[@]} -eq 0 ]] && words+=("")
  local current=${words[${#words[@]} - 1]}
  local program=${words[0]}
  [[ $program == */* || $(type -t "$program") == file ]] || program=nettopo

  local output
  output=$("$program" __complete "${words[@]:1}" 2>/dev/null) || return 0
  COMPREPLY=()
  local candidate
  local IFS=$'\n'
  for candidate in $output; do
    if [[ $candidate == :files ]]; then
      compopt -o filenames 2>/dev/null
      COMPREPLY+=($(compgen -f -- "$current"))
    else
      # bash replaces only what follows the last ':' of the word (COMP_WORDBREAKS).
      [[ $current == *:* && $COMP_WORDBREAKS == *:* ]] && candidate=${candidate#"${current%:*}:"}
      COMPREPLY+=("$candidate")
    fi
  done
  return 0
}
complete -F _nettopo nettopo
